// CoreDNS with only the plugins the local cluster uses. CoreDNS's own main imports
// every plugin (core/plugin), which pulls cloud SDKs (route53, azure, clouddns, ...) and
// costs minutes of build; this one serves cluster.local from the apiserver and nothing
// else (no forward: names outside the cluster are never resolved upstream).
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

// The plugins' order in a request, a subset of CoreDNS's own plugin.cfg order
// (core/dnsserver/zdirectives.go): a Corefile directive not listed here is an error.
func init() {
	dnsserver.Directives = []string{"reload", "bind", "ready", "health", "errors", "log", "cache", "kubernetes"}
}

func main() { coremain.Run() }
