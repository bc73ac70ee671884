package io.emostream.launcher.capacity;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The job's consumer lag in time, as its Kafka source reports it: {@code currentEmitEventTimeLag}, Flink's
 * standard source metric, is how long ago the chunk the source last handed on was produced (its Kafka
 * timestamp). Read from the local cluster through a metric reporter, so it is exact at any moment, where
 * committed offsets would show the lag only as of the last checkpoint. Flink finds the reporter through its
 * factory, listed in META-INF/services.
 */
public final class SourceLag implements MetricReporter {
    /** The reporter's name in Flink's configuration: {@code metrics.reporter.NAME.factory.class}. */
    public static final String REPORTER = "emostreambench";
    private static final String METRIC = "currentEmitEventTimeLag";
    private static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

    /** Flink makes reporters from their factory's class name. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SourceLag();
        }
    }

    /** The largest lag over the source's subtasks, in ms; -1 until the source has handed on a chunk. */
    public static long nowMs() {
        long lag = -1;
        for (Gauge<?> gauge : GAUGES.values()) {
            if (gauge.getValue() instanceof Number value && value.longValue() >= 0) {
                lag = Math.max(lag, value.longValue());
            }
        }
        return lag;
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (METRIC.equals(name) && metric instanceof Gauge<?> gauge) {
            GAUGES.put(group.getMetricIdentifier(name), gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        if (METRIC.equals(name)) {
            GAUGES.remove(group.getMetricIdentifier(name));
        }
    }
}
