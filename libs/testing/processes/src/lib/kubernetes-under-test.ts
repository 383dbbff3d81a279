import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The local single-node cluster of tools/services/kubernetes, as its up.sh describes it. */
export type KubernetesUnderTest = {
  /** Admin kubeconfig (system:masters); its server is the apiserver on the node IP. */
  kubeconfigPath: string;
  /** https://<node IP>:<port> */
  apiServer: string;
  kubernetesVersion: string;
  nodeName: string;
  /** The node's address on a local-only interface: host services pods call listen here. */
  nodeIp: string;
  /** The whole pod range and the node's share of it (pods get addresses from the latter). */
  podCidr: string;
  nodePodCidr: string;
  serviceCidr: string;
  clusterDomain: string;
  /** CoreDNS, on the host, serving clusterDomain only. */
  dnsIp: string;
  /** kubectl and the other binaries of this cluster. */
  binDir: string;
  /** The registry its containerd trusts (pods pull with an image pull secret). */
  registry: string;
  /** github.com/openshift/api version whose Route CRD is installed. */
  openshiftApiVersion: string;
  /** The iptables table and chain (first in its FORWARD) that keep pod traffic here. */
  firewallTable: string;
  firewallChain: string;
  /** The pods' bridge. */
  podBridge: string;
};

/** Where up.sh writes the cluster's facts once its node is Ready (down.sh removes it). */
export function kubernetesFactsFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
  return path.join(state, 'kubernetes', 'cluster.json');
}

/**
 * The cluster tests use. `tools/services/kubernetes/up.sh` writes its facts (addresses,
 * ranges, kubeconfig) to <services>/kubernetes/cluster.json; this reads them, so the
 * addresses live in one place (the scripts). MLRUN_KUBECONFIG points at another
 * kubeconfig for the same cluster (e.g. one with fewer rights).
 * Throws, saying how to start it, when the cluster is not up.
 */
export function kubernetesUnderTest(env: NodeJS.ProcessEnv = process.env): KubernetesUnderTest {
  const file = kubernetesFactsFile(env);
  if (!existsSync(file)) {
    throw new Error(
      `the local Kubernetes is not up (no ${file}): run tools/services/kubernetes/up.sh`,
    );
  }
  const facts = JSON.parse(readFileSync(file, 'utf8')) as KubernetesUnderTest;
  const kubeconfigPath = env['MLRUN_KUBECONFIG'] ?? facts.kubeconfigPath;
  if (!existsSync(kubeconfigPath)) {
    throw new Error(`no kubeconfig at ${kubeconfigPath}: run tools/services/kubernetes/up.sh`);
  }
  return { ...facts, kubeconfigPath };
}

/** True when up.sh has brought the cluster up (for suites that skip without it). */
export function kubernetesIsUp(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(kubernetesFactsFile(env));
}
