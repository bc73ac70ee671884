package io.emostream.ingest.media;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Which files are recordings, by name: WAV goes to our own reader, the others to FFmpeg. */
public final class MediaFiles {
    /** What a folder is searched for: WAV and the audio and video formats FFmpeg decodes that recordings come in. */
    public static final Set<String> EXTENSIONS = Set.of("wav", "mp3", "m4a", "aac", "ogg", "oga", "opus", "flac",
            "mp4", "m4v", "mkv", "webm", "mov");

    private MediaFiles() {
    }

    public static boolean isWav(Path file) {
        return extension(file).equals("wav");
    }

    public static boolean isRecording(Path file) {
        return EXTENSIONS.contains(extension(file));
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
