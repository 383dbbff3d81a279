package run.ml.ignite;

import java.io.File;
import java.io.IOException;
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
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.logger.java.JavaLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * ML-RUN's local single-node Apache Ignite 2.17 server (cluster mode).
 *
 * Everything binds to 127.0.0.1. Settings come from system properties (set by up.sh):
 *   mlrun.ignite.stateDir         state directory: work/ (persistence, WAL) and ignite.0.log (JUL, rotated
 *                                 at 10 MB, 3 files); default ./ignite-state
 *   mlrun.ignite.clientPort       thin-client port; default 10800
 *   mlrun.ignite.tokenTtlSeconds  default TTL of the mlrun-tokens cache (CreatedExpiryPolicy); default 3600
 */
public final class IgniteServer {
    public static final String INSTANCE_NAME = "mlrun";
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
        int clientPort = Integer.getInteger("mlrun.ignite.clientPort", 10800);
        long tokenTtlSeconds = Long.getLong("mlrun.ignite.tokenTtlSeconds", 3600L);

        if (!stateDir.isDirectory() && !stateDir.mkdirs())
            throw new IOException("cannot create state dir " + stateDir);

        // We stop the node ourselves (graceful) from our own hook below.
        System.setProperty(IgniteSystemProperties.IGNITE_NO_SHUTDOWN_HOOK, "true");
        System.setProperty(IgniteSystemProperties.IGNITE_UPDATE_NOTIFIER, "false");
        System.setProperty("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");

        configureJul(new File(stateDir, "ignite.%g.log"));

        IgniteConfiguration cfg = configuration(stateDir, clientPort, tokenTtlSeconds);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println("ML-RUN Ignite stopping");
                Ignition.stop(INSTANCE_NAME, false);
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

        // Fail fast if a configured cache did not come up.
        for (String name : new String[] {TOKENS_CACHE, REGISTRY_CACHE}) {
            if (ignite.cache(name) == null)
                throw new IllegalStateException("cache not started: " + name);
        }

        // Clients cannot read a cache's expiry policy through the thin client, so the token TTL
        // is published here: an issuer promising longer-lived tokens refuses to start.
        ignite.<String, String>getOrCreateCache(SETTINGS_CACHE)
            .put("tokenTtlSeconds", Long.toString(tokenTtlSeconds));

        String ready = READY_LINE + " (instance=" + INSTANCE_NAME + ", thin client 127.0.0.1:" + clientPort
            + ", tokenTtlSeconds=" + tokenTtlSeconds + ", workDir=" + cfg.getWorkDirectory() + ")";
        Logger.getLogger(IgniteServer.class.getName()).info(ready);
        System.out.println(ready);
        System.out.flush();

        stopped.await();
    }

    static IgniteConfiguration configuration(File stateDir, int clientPort, long tokenTtlSeconds) {
        IgniteConfiguration cfg = new IgniteConfiguration();

        cfg.setIgniteInstanceName(INSTANCE_NAME);
        // Stable consistent id => stable persistence folder, whatever discovery port is picked.
        cfg.setConsistentId("mlrun-node-0");
        cfg.setLocalHost("127.0.0.1");
        cfg.setWorkDirectory(new File(stateDir, "work").getAbsolutePath());
        cfg.setPeerClassLoadingEnabled(false);
        cfg.setMetricsLogFrequency(0);
        cfg.setConnectorConfiguration(null); // no legacy REST/memcached TCP connector (port 11211)
        cfg.setGridLogger(new JavaLogger(false));

        // Discovery: static IP finder, loopback only.
        TcpDiscoveryVmIpFinder ipFinder = new TcpDiscoveryVmIpFinder();
        ipFinder.setAddresses(Collections.singletonList("127.0.0.1:47500..47509"));
        TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setIpFinder(ipFinder);
        discovery.setLocalAddress("127.0.0.1");
        discovery.setLocalPort(47500);
        discovery.setLocalPortRange(9);
        cfg.setDiscoverySpi(discovery);

        TcpCommunicationSpi communication = new TcpCommunicationSpi();
        communication.setLocalAddress("127.0.0.1");
        communication.setLocalPort(47100);
        communication.setLocalPortRange(9);
        communication.setMessageQueueLimit(1024);
        cfg.setCommunicationSpi(communication);

        // Thin-client endpoint (Node apache-ignite-client, pyignite). Fixed port: fail rather than drift.
        ClientConnectorConfiguration client = new ClientConnectorConfiguration();
        client.setHost("127.0.0.1");
        client.setPort(clientPort);
        client.setPortRange(0);
        cfg.setClientConnectorConfiguration(client);

        // SQL is enabled by ignite-indexing on the classpath: CREATE TABLE etc. through the thin client
        // (SQL fields queries, schema PUBLIC); such tables go to the default (in-memory) region unless
        // created WITH "DATA_REGION=persistent".

        // Data regions: in-memory default (SQL tables by default), persistent for tokens and registry data.
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

        return cfg;
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
