package io.emostream.launcher.evaluate;

import java.time.Instant;
import java.util.List;

/**
 * How an evaluation was run, for its report.
 *
 * @param command        the command line as the user gave it
 * @param model          the {@code --model} value
 * @param modelIds       the model ids the events name
 * @param modelStatement what the model is, in plain words (for the embedded default: that it is not a trained classifier)
 * @param scoreMapping   how the model's scores became the evaluation's (see {@link ScoreMapping#describe})
 * @param labelMap       how the manifest's labels were read (see {@link LabelMap#describe})
 * @param scale          the scale of the manifest's dimensional labels
 * @param rejected       clips whose audio could not be read, with the reason, already counted as misses
 */
public record ReportContext(String command, String model, List<String> modelIds, String modelStatement, Instant date,
                            String scoreMapping, String labelMap, ManifestReader.Manifest manifest, DimensionScale scale,
                            long rejected) {
}
