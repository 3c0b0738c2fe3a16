package io.tidepool.sim.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap the process needs: the most heap in use right after any collection (what survived it,
 * an upper bound of the live set at that moment), and the heap in use after a full collection on
 * request. Heap in use before a collection says more about the collector than about the program.
 */
final class HeapWatch implements AutoCloseable {
    private final AtomicLong peakAfterGcBytes = new AtomicLong();
    private final List<Registration> registrations = new ArrayList<>();

    private record Registration(NotificationEmitter emitter, NotificationListener listener) {
    }

    HeapWatch() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                NotificationListener listener = (notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        peakAfterGcBytes.accumulateAndGet(used, Math::max);
                    }
                };
                emitter.addNotificationListener(listener, null, null);
                registrations.add(new Registration(emitter, listener));
            }
        }
    }

    /** The most heap in use after any collection so far. */
    long peakAfterGcBytes() {
        return peakAfterGcBytes.get();
    }

    /** Heap in use after a full collection now (System.gc(), which G1 runs as a full collection). */
    static long usedAfterFullGcBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long maxHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    @Override
    public void close() {
        for (Registration registration : registrations) {
            try {
                registration.emitter().removeNotificationListener(registration.listener());
            } catch (javax.management.ListenerNotFoundException e) {
                // already gone: nothing to undo
            }
        }
    }
}
