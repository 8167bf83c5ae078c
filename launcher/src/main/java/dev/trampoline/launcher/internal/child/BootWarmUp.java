package dev.trampoline.launcher.internal.child;

/**
 * Work a child's boot will need, done ahead on another thread while the main thread reads the snapshot and
 * restores the framework cache: initializing the framework's classes, and the JDK facilities the framework
 * and the runtime's bundles reach for on first use (formatting, the time zone, the XML parser, content
 * types, logging).
 * <p>
 * Each is one-time initialization that the main thread would otherwise run itself, interpreted, on the
 * boot's critical path; the JVM initializes a class once whichever thread comes first, and a thread that
 * comes second waits for it rather than repeating it. Nothing here changes what the child runs: these are
 * the same initializations in another order.
 */
final class BootWarmUp implements Runnable {

    private static final String[] FRAMEWORK_CLASSES = {"org.apache.felix.framework.Felix",
        "org.apache.felix.framework.BundleImpl", "org.apache.felix.framework.util.Util",
        "org.apache.felix.framework.ExtensionManager", "org.apache.felix.framework.cache.BundleCache"};

    static void start() {
        Thread t = new Thread(new BootWarmUp(), "trampoline-boot-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    @Override
    public void run() {
        try {
            ClassLoader loader = BootWarmUp.class.getClassLoader();
            for (String name : FRAMEWORK_CLASSES) {
                Class.forName(name, true, loader);
            }
            String.format("%d %s", 1, "warm"); // the framework formats its properties: locale data
            java.time.ZoneId.systemDefault(); // zip entry times, read as bundles are opened
            javax.xml.parsers.SAXParserFactory.newInstance().newSAXParser(); // component descriptors
            java.net.URLConnection.getFileNameMap(); // content types, looked up as descriptors are opened
            java.util.logging.LogManager.getLogManager(); // the shell runtime's logger
            java.time.format.DateTimeFormatter.ISO_LOCAL_TIME.getClass(); // the log's timestamps
        } catch (Exception | LinkageError e) {
            // only a head start: whatever fails here, the boot does again and reports
        }
    }
}
