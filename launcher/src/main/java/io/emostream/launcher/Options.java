package io.emostream.launcher;

import io.emostream.job.EmotionModels;
import io.emostream.job.asr.TranscribeUtterances;
import io.emostream.job.asr.WhisperModel;
import io.emostream.sinks.calls.AlertRules;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine;

/** Options several commands share, read the same way everywhere. */
final class Options {
    private Options() {
    }

    /** {@code --asr none|sphinx|whisper:PATH}; a missing or broken whisper model is bad usage, named before anything starts. */
    static TranscribeUtterances.Settings speechRecognition(CommandLine.Model.CommandSpec spec, String asr, Duration timeout) {
        try {
            TranscribeUtterances.Settings speech = TranscribeUtterances.Settings.off().withRecognizer(asr).withTimeout(timeout);
            speech.whisperModel().ifPresent(WhisperModel::check);
            return speech;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--asr: " + e.getMessage());
        }
    }

    /**
     * {@code --asr} for analysing files: every utterance waits its turn for the recogniser, since nobody is waiting
     * live and a missing transcript would be a loss, not a trade-off.
     */
    static TranscribeUtterances.Settings speechRecognitionForFiles(CommandLine.Model.CommandSpec spec, String asr) {
        return speechRecognition(spec, asr, TranscribeUtterances.Settings.FILES_TIMEOUT).forFiles();
    }

    /** What {@code --model} says in every command's help. */
    static final String MODEL_HELP = "Emotion model: cue (the embedded cue-based estimator, default), onnx:DIR (your ONNX"
            + " model and its model card), tensorrt:DIR (its TensorRT engine, from build-engine; needs an NVIDIA GPU with"
            + " TensorRT 10.15), speechlm:URL (an OpenAI-compatible SpeechLM server, asked about every utterance), or"
            + " LOCAL+speechlm:URL (the cascade: the local model labels every utterance and the SpeechLM is asked about"
            + " some); see inference-job/README.md.";

    /** {@code --model cue|onnx:DIR|tensorrt:DIR|speechlm:URL|LOCAL+speechlm:URL}: checked (model card read, TensorRT loaded) before anything starts. */
    static String emotionModel(CommandLine.Model.CommandSpec spec, String model) {
        try {
            EmotionModels.check(model);
            return model;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model: " + e.getMessage());
        }
    }

    /** {@code --alert-rules FILE}: the default alert rules with what the properties file overrides. */
    static AlertRules alertRules(CommandLine.Model.CommandSpec spec, Path file) {
        if (file == null) {
            return AlertRules.defaults();
        }
        Properties overrides = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            overrides.load(reader);
            return AlertRules.fromProperties(overrides);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--alert-rules " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ").");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--alert-rules " + file + ": " + e.getMessage() + ".");
        }
    }

    /** Finds out before the work, not after it, that a result file could not be written. */
    static void requireWritable(String option, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (!Files.isWritable(parent) || Files.isDirectory(file)) {
                throw new EmotionCli.UserException(option + " " + file + " cannot be written; choose a file in a writable folder.");
            }
        } catch (IOException e) {
            throw new EmotionCli.UserException(option + " " + file + " cannot be written (" + e.getMessage() + "); choose another file.", e);
        }
    }

    /** The same for a folder of results: created when missing, and it must be writable. */
    static void requireWritableFolder(String option, Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new EmotionCli.UserException(option + " " + folder + " is a file; choose a folder for the results.");
        }
        try {
            Files.createDirectories(folder);
            if (!Files.isWritable(folder)) {
                throw new EmotionCli.UserException(option + " " + folder + " cannot be written; choose a writable folder.");
            }
        } catch (IOException e) {
            throw new EmotionCli.UserException(option + " " + folder + " cannot be created (" + e.getMessage() + "); choose another folder.", e);
        }
    }

    /** A bearer token from {@code --token-file}, else from the environment variable; null when neither is set. */
    static String token(Path tokenFile, String environmentVariable) {
        if (tokenFile != null) {
            String token;
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new EmotionCli.UserException("Token file " + tokenFile + " cannot be read as UTF-8 text ("
                        + e.getClass().getSimpleName() + ").", e);
            }
            if (token.isEmpty()) {
                throw new EmotionCli.UserException("Token file " + tokenFile + " is empty.");
            }
            return token;
        }
        String fromEnv = System.getenv(environmentVariable);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }
}
