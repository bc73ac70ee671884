package io.emostream.launcher.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.job.AudioPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A job's consumer lag read from a Flink cluster's REST API: the largest {@code currentEmitEventTimeLag} over the
 * subtasks of the vertex that holds the audio source, the metric {@link SourceLag} reads in-process.
 */
final class RestLag {
    private static final String SOURCE = "Source: " + AudioPipeline.SOURCE_NAME;
    private static final String METRIC = "currentEmitEventTimeLag";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String jobUrl;
    private String metricsUrl;
    private String metricId;

    RestLag(String restUrl, String jobId) {
        this.jobUrl = restUrl + "/jobs/" + jobId;
    }

    /** The lag in ms, or -1 while the job, its source or the metric is not there yet, or the cluster does not answer. */
    long nowMs() {
        try {
            if (metricId == null && !findMetric()) {
                return -1;
            }
            JsonNode values = get(metricsUrl + "?agg=max&get=" + URLEncoder.encode(metricId, StandardCharsets.UTF_8));
            for (JsonNode value : values) {
                if (value.has("max")) {
                    return Math.round(value.get("max").asDouble());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The source's vertex, then the metric's full name there (operator metrics carry the operator's name first). */
    private boolean findMetric() throws IOException, InterruptedException {
        if (metricsUrl == null) {
            for (JsonNode vertex : get(jobUrl).path("vertices")) {
                if (vertex.path("name").asText().startsWith(SOURCE)) {
                    metricsUrl = jobUrl + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
                }
            }
            if (metricsUrl == null) {
                return false;
            }
        }
        for (JsonNode metric : get(metricsUrl)) {
            String id = metric.path("id").asText();
            if (id.equals(METRIC) || id.endsWith("." + METRIC)) {
                metricId = id;
                return true;
            }
        }
        return false;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
