package run.ml.ignite;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteSystemProperties;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.ClientAuthenticationException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.kubernetes.configuration.KubernetesConnectionConfiguration;
import org.apache.ignite.logger.java.JavaLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.TcpDiscoveryIpFinder;
import org.apache.ignite.spi.discovery.tcp.ipfinder.kubernetes.TcpDiscoveryKubernetesIpFinder;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * ML-RUN's local single-node Apache Ignite 2.17 servers (cluster mode), in one of two roles:
 *   platform  the platform's store: tokens, registry, settings; native persistence, authentication
 *             (the superuser's default password is replaced by the one in passwordFile)
 *   model     models' data grid (ctx.ignite): in memory, no platform caches, no authentication
 * The two never form one cluster: each has its own discovery, communication and client ports, and its
 * static IP finder lists only its own discovery range.
 *
 * On this machine (up.sh) everything binds to 127.0.0.1 and discovery is a static IP finder over
 * the node's own ports. In a Kubernetes StatefulSet (the ml-run/jvm image's ignite-server,
 * deploy/openshift/ml-run-ignite.yaml) it binds the pod's address and finds its peers through the
 * Kubernetes IP finder (the headless Service's endpoints). Settings come from system properties:
 *   mlrun.ignite.role               platform (default) | model
 *   mlrun.ignite.stateDir           state directory: work/ (persistence, WAL) and ignite.0.log (JUL, rotated
 *                                   at 10 MB, 3 files); default ./ignite-state
 *   mlrun.ignite.clientPort         thin-client port; default 10800
 *   mlrun.ignite.discoveryPort      first discovery port (10 ports); default 47500
 *   mlrun.ignite.communicationPort  first communication port (10 ports); default 47100
 *   mlrun.ignite.passwordFile       platform: the superuser's password (one line); required
 *   mlrun.ignite.tokenTtlSeconds    default TTL of the mlrun-tokens cache (CreatedExpiryPolicy); default 3600
 *   mlrun.ignite.host               address discovery and communication bind and announce; default 127.0.0.1
 *   mlrun.ignite.clientHost         address of the thin-client endpoint; default mlrun.ignite.host (0.0.0.0
 *                                   in a pod: its Service and this process's own ALTER USER both reach it)
 *   mlrun.ignite.consistentId       node id, names the persistence folder; default mlrun-node-0 (model:
 *                                   mlrun-model-node-0); a StatefulSet passes the pod name
 *   mlrun.ignite.kubernetes.service    set: discovery through the Kubernetes IP finder over this
 *                                   (headless) Service's endpoints, in mlrun.ignite.kubernetes.namespace,
 *                                   asking mlrun.ignite.kubernetes.masterUrl (the API server); the
 *                                   baseline then follows the nodes (auto-adjust)
 *   mlrun.ignite.readyFile          written once ready (a readiness probe's), removed at start
 */
public final class IgniteServer {
    public static final String INSTANCE_NAME = "mlrun";
    public static final String MODEL_INSTANCE_NAME = "mlrun-models";
    /** Ignite's built-in superuser, created with password "ignite" when authentication first starts. */
    public static final String SUPERUSER = "ignite";
    private static final String DEFAULT_PASSWORD = "ignite";
    private static final int PORT_RANGE = 9;
    public static final String TOKENS_CACHE = "mlrun-tokens";
    public static final String REGISTRY_CACHE = "mlrun-registry";
    /** Settings clients must agree with, as JSON text by key (the issuer checks its token TTL). */
    public static final String SETTINGS_CACHE = "mlrun-settings";
    public static final String PERSISTENT_REGION = "persistent";
    public static final String READY_LINE = "ML-RUN Ignite ready";

    private static final long MB = 1024L * 1024L;

    private IgniteServer() {
    }

    public static void main(String[] args) throws Exception {
        File stateDir = new File(System.getProperty("mlrun.ignite.stateDir", "ignite-state")).getAbsoluteFile();
        String role = System.getProperty("mlrun.ignite.role", "platform");
        if (!role.equals("platform") && !role.equals("model"))
            throw new IllegalArgumentException("mlrun.ignite.role must be platform or model, got " + role);
        boolean platform = role.equals("platform");
        Ports ports = new Ports(
            Integer.getInteger("mlrun.ignite.clientPort", 10800),
            Integer.getInteger("mlrun.ignite.discoveryPort", 47500),
            Integer.getInteger("mlrun.ignite.communicationPort", 47100));
        long tokenTtlSeconds = Long.getLong("mlrun.ignite.tokenTtlSeconds", 3600L);
        String password = platform ? readPassword(System.getProperty("mlrun.ignite.passwordFile")) : null;
        String instanceName = platform ? INSTANCE_NAME : MODEL_INSTANCE_NAME;
        Network network = Network.fromProperties(platform);
        File readyFile = System.getProperty("mlrun.ignite.readyFile") == null
            ? null : new File(System.getProperty("mlrun.ignite.readyFile"));
        if (readyFile != null)
            Files.deleteIfExists(readyFile.toPath());

        if (!stateDir.isDirectory() && !stateDir.mkdirs())
            throw new IOException("cannot create state dir " + stateDir);

        // We stop the node ourselves (graceful) from our own hook below.
        System.setProperty(IgniteSystemProperties.IGNITE_NO_SHUTDOWN_HOOK, "true");
        System.setProperty(IgniteSystemProperties.IGNITE_UPDATE_NOTIFIER, "false");
        System.setProperty("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");

        configureJul(new File(stateDir, "ignite.%g.log"));

        IgniteConfiguration cfg = platform
            ? configuration(stateDir, ports, network, tokenTtlSeconds)
            : modelConfiguration(stateDir, ports, network);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println("ML-RUN Ignite stopping");
                Ignition.stop(instanceName, false);
                System.out.println("ML-RUN Ignite stopped");
            }
            finally {
                ServerLogManager.closeHandlers();
                stopped.countDown();
            }
        }, "mlrun-ignite-shutdown"));

        Ignite ignite = Ignition.start(cfg);

        // With native persistence the cluster starts inactive the first time; a single node is its own baseline.
        if (ignite.cluster().state() != ClusterState.ACTIVE)
            ignite.cluster().state(ClusterState.ACTIVE);
        // A StatefulSet's nodes come and go by replicas: the baseline follows them (persistent
        // partitions of a node that left move after the timeout instead of waiting for it forever).
        if (network.kubernetes() && platform) {
            ignite.cluster().baselineAutoAdjustEnabled(true);
            ignite.cluster().baselineAutoAdjustTimeout(30_000);
        }

        if (platform)
            preparePlatform(ignite, ports.client, password, tokenTtlSeconds);

        String ready = READY_LINE + " (role=" + role + ", instance=" + instanceName
            + ", thin client " + network.clientHost() + ":" + ports.client
            + ", discovery " + network.discoveryDescription(ports)
            + ", topology=" + ignite.cluster().nodes().size()
            + (platform ? ", authentication=on, tokenTtlSeconds=" + tokenTtlSeconds : ", authentication=off")
            + ", workDir=" + cfg.getWorkDirectory() + ")";
        Logger.getLogger(IgniteServer.class.getName()).info(ready);
        System.out.println(ready);
        System.out.flush();
        if (readyFile != null)
            Files.writeString(readyFile.toPath(), ready + "\n", StandardCharsets.UTF_8);

        stopped.await();
    }

    /** First ports of each kind; discovery and communication take PORT_RANGE more each. */
    record Ports(int client, int discovery, int communication) {
        String discoveryRange() {
            return discovery + ".." + (discovery + PORT_RANGE);
        }
    }

    /** Where the node binds and how it finds its peers. */
    record Network(String host, String clientHost, String consistentId, String k8sService, String k8sNamespace,
        String k8sMasterUrl) {
        static Network fromProperties(boolean platform) {
            String host = System.getProperty("mlrun.ignite.host", "127.0.0.1");
            return new Network(host,
                System.getProperty("mlrun.ignite.clientHost", host),
                System.getProperty("mlrun.ignite.consistentId", platform ? "mlrun-node-0" : "mlrun-model-node-0"),
                System.getProperty("mlrun.ignite.kubernetes.service"),
                System.getProperty("mlrun.ignite.kubernetes.namespace", "default"),
                System.getProperty("mlrun.ignite.kubernetes.masterUrl", "https://kubernetes.default.svc:443"));
        }

        boolean kubernetes() {
            return k8sService != null && !k8sService.isEmpty();
        }

        String discoveryDescription(Ports ports) {
            return kubernetes()
                ? "kubernetes endpoints " + k8sNamespace + "/" + k8sService + " port " + ports.discovery
                : host + ":" + ports.discoveryRange();
        }

        TcpDiscoveryIpFinder ipFinder(Ports ports) {
            if (kubernetes()) {
                KubernetesConnectionConfiguration k8s = new KubernetesConnectionConfiguration()
                    .setServiceName(k8sService)
                    .setNamespace(k8sNamespace)
                    .setMasterUrl(k8sMasterUrl)
                    .setDiscoveryPort(ports.discovery)
                    // The first pod is not ready before it has found (no) peers: count starting pods too.
                    .setIncludeNotReadyAddresses(true);
                return new TcpDiscoveryKubernetesIpFinder(k8s);
            }
            // Static: this cluster's own range only, so the platform's and the models' never meet.
            TcpDiscoveryVmIpFinder ipFinder = new TcpDiscoveryVmIpFinder();
            ipFinder.setAddresses(Collections.singletonList(host + ":" + ports.discoveryRange()));
            return ipFinder;
        }
    }

    private static String readPassword(String file) throws IOException {
        if (file == null || file.isEmpty())
            throw new IllegalArgumentException("mlrun.ignite.passwordFile is required for the platform role");
        String password = Files.readString(new File(file).toPath(), StandardCharsets.UTF_8).trim();
        // Goes into an ALTER USER statement: letters and digits only, so no quoting is involved.
        if (!password.matches("[A-Za-z0-9]{24,}"))
            throw new IllegalArgumentException(file + " must hold at least 24 letters and digits");
        return password;
    }

    private static void preparePlatform(Ignite ignite, int clientPort, String password, long tokenTtlSeconds) {
        // Fail fast if a configured cache did not come up.
        for (String name : new String[] {TOKENS_CACHE, REGISTRY_CACHE}) {
            if (ignite.cache(name) == null)
                throw new IllegalStateException("cache not started: " + name);
        }

        // Clients cannot read a cache's expiry policy through the thin client, so the token TTL
        // is published here: an issuer promising longer-lived tokens refuses to start.
        ignite.<String, String>getOrCreateCache(SETTINGS_CACHE)
            .put("tokenTtlSeconds", Long.toString(tokenTtlSeconds));

        securePassword(clientPort, password);
    }

    /**
     * Authentication starts with the superuser's well-known default password. Replace it with ours
     * through the thin client (the documented ALTER USER path), idempotently: once changed, our
     * password logs in and nothing is done.
     */
    private static void securePassword(int clientPort, String password) {
        String address = "127.0.0.1:" + clientPort;
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration()
            .setAddresses(address).setUserName(SUPERUSER).setUserPassword(password))) {
            client.cacheNames(); // one request: the login itself is checked at connect
            return;
        }
        catch (ClientAuthenticationException expected) {
            // Still the default password (first start), or someone else's: try the default below.
        }
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration()
            .setAddresses(address).setUserName(SUPERUSER).setUserPassword(DEFAULT_PASSWORD))) {
            client.query(new SqlFieldsQuery("ALTER USER \"" + SUPERUSER + "\" WITH PASSWORD '" + password + "'"))
                .getAll();
            System.out.println("ML-RUN Ignite: the superuser's default password was replaced");
        }
        catch (ClientAuthenticationException e) {
            throw new IllegalStateException("the superuser accepts neither the password file's password nor the "
                + "default one; the password file does not belong to this work dir", e);
        }
    }

    /** Models' data grid: in memory only, SQL available, no platform caches, no authentication. */
    static IgniteConfiguration modelConfiguration(File stateDir, Ports ports, Network network) {
        IgniteConfiguration cfg = base(MODEL_INSTANCE_NAME, stateDir, ports, network);
        DataRegionConfiguration dflt = new DataRegionConfiguration()
            .setName("default")
            .setInitialSize(64 * MB)
            .setMaxSize(256 * MB)
            .setPersistenceEnabled(false);
        cfg.setDataStorageConfiguration(new DataStorageConfiguration().setDefaultDataRegionConfiguration(dflt));
        return cfg;
    }

    static IgniteConfiguration configuration(File stateDir, Ports ports, Network network, long tokenTtlSeconds) {
        IgniteConfiguration cfg = base(INSTANCE_NAME, stateDir, ports, network);
        // Thin clients must log in (needs native persistence: users live in the metastorage).
        cfg.setAuthenticationEnabled(true);
        configurePlatformStorage(cfg, tokenTtlSeconds);
        return cfg;
    }

    private static IgniteConfiguration base(String instanceName, File stateDir, Ports ports, Network network) {
        IgniteConfiguration cfg = new IgniteConfiguration();

        cfg.setIgniteInstanceName(instanceName);
        // Stable consistent id => stable persistence folder, whatever discovery port is picked.
        cfg.setConsistentId(network.consistentId());
        cfg.setLocalHost(network.host());
        cfg.setWorkDirectory(new File(stateDir, "work").getAbsolutePath());
        cfg.setPeerClassLoadingEnabled(false);
        cfg.setMetricsLogFrequency(0);
        cfg.setConnectorConfiguration(null); // no legacy REST/memcached TCP connector (port 11211)
        cfg.setGridLogger(new JavaLogger(false));

        TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setIpFinder(network.ipFinder(ports));
        discovery.setLocalAddress(network.host());
        discovery.setLocalPort(ports.discovery);
        discovery.setLocalPortRange(PORT_RANGE);
        cfg.setDiscoverySpi(discovery);

        TcpCommunicationSpi communication = new TcpCommunicationSpi();
        communication.setLocalAddress(network.host());
        communication.setLocalPort(ports.communication);
        communication.setLocalPortRange(PORT_RANGE);
        communication.setMessageQueueLimit(1024);
        cfg.setCommunicationSpi(communication);

        // Thin-client endpoint (Node apache-ignite-client, pyignite). Fixed port: fail rather than drift.
        ClientConnectorConfiguration client = new ClientConnectorConfiguration();
        client.setHost(network.clientHost());
        client.setPort(ports.client);
        client.setPortRange(0);
        // The default 10 s drops a client that a loaded machine starved between its TCP
        // connect and its handshake (seen in CI beside other work: "Unable to perform
        // handshake within timeout"); the client then reads "connection lost" mid-request.
        client.setHandshakeTimeout(60_000);
        cfg.setClientConnectorConfiguration(client);
        return cfg;
    }

    private static void configurePlatformStorage(IgniteConfiguration cfg, long tokenTtlSeconds) {
        // Data regions: in-memory default (rate-limit counters), persistent for tokens and registry data.
        // Models' SQL tables live in the model cluster, not here.
        DataRegionConfiguration dflt = new DataRegionConfiguration()
            .setName("default")
            .setInitialSize(64 * MB)
            .setMaxSize(256 * MB)
            .setPersistenceEnabled(false);
        DataRegionConfiguration persistent = new DataRegionConfiguration()
            .setName(PERSISTENT_REGION)
            .setInitialSize(64 * MB)
            .setMaxSize(256 * MB)
            .setPersistenceEnabled(true);
        DataStorageConfiguration storage = new DataStorageConfiguration()
            .setDefaultDataRegionConfiguration(dflt)
            .setDataRegionConfigurations(persistent)
            // Keep the WAL small for a dev box (defaults preallocate 10 x 64 MB).
            .setWalSegmentSize((int)(16 * MB))
            .setWalSegments(4)
            .setMaxWalArchiveSize(256 * MB);
        cfg.setDataStorageConfiguration(storage);

        // Tokens: created-time expiry with eager TTL (expired entries are purged in the background).
        // The app also stores `exp` in the value, and may put with a per-entry expiry policy later.
        CacheConfiguration<Object, Object> tokens = new CacheConfiguration<>(TOKENS_CACHE);
        tokens.setCacheMode(CacheMode.PARTITIONED);
        tokens.setBackups(0);
        tokens.setAtomicityMode(CacheAtomicityMode.ATOMIC);
        tokens.setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC);
        tokens.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, tokenTtlSeconds)));
        tokens.setEagerTtl(true);
        // Persistent: restarting Ignite must not log every user out. Expiry applies on disk too.
        tokens.setDataRegionName(PERSISTENT_REGION);

        // Registry: persistent, atomic, plain key-value (no query entities).
        CacheConfiguration<Object, Object> registry = new CacheConfiguration<>(REGISTRY_CACHE);
        registry.setCacheMode(CacheMode.PARTITIONED);
        registry.setBackups(0);
        registry.setAtomicityMode(CacheAtomicityMode.ATOMIC);
        registry.setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC);
        registry.setDataRegionName(PERSISTENT_REGION);

        cfg.setCacheConfiguration(tokens, registry);
    }

    /**
     * JUL's own shutdown hook resets (closes) all handlers, racing with ours, so the node's stop messages
     * would be lost. up.sh selects this manager (-Djava.util.logging.manager=...); we close handlers last.
     */
    public static final class ServerLogManager extends LogManager {
        private static volatile boolean closing;

        public ServerLogManager() {
        }

        @Override public void reset() {
            if (closing)
                super.reset();
        }

        static void closeHandlers() {
            closing = true;
            LogManager.getLogManager().reset();
        }
    }

    /** Route java.util.logging (and so Ignite's JavaLogger) to a rotating file; nothing on the console. */
    private static void configureJul(File logFile) throws IOException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null)
            System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");

        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers())
            root.removeHandler(h);

        FileHandler file = new FileHandler(logFile.getAbsolutePath(), 10 * 1024 * 1024, 3, true);
        file.setFormatter(new SimpleFormatter());
        file.setLevel(Level.INFO);
        root.addHandler(file);
        root.setLevel(Level.INFO);
    }
}
