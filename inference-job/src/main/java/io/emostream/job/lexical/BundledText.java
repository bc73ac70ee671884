package io.emostream.job.lexical;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The UTF-8 text files this package ships on its classpath. */
final class BundledText {

    private BundledText() {
    }

    /** The lines of a resource beside this class; a missing one is a packaging bug, so it fails loudly. */
    static List<String> lines(String resource) {
        InputStream in = BundledText.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("The classpath resource io/emostream/job/lexical/" + resource
                    + " is missing: the inference-job jar was built without it.");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the classpath resource " + resource + ".", e);
        }
    }
}
