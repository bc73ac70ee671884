package io.emostream.job.analysis;

import io.emostream.job.cues.AcousticCues;
import io.emostream.job.cues.SpeakerBaseline;
import io.emostream.job.domain.DomainProfile;
import io.emostream.job.event.EventBuilder;
import io.emostream.job.lexical.LexicalAnalyzer;
import io.emostream.job.lexical.LexicalCues;
import io.emostream.job.model.CueReading;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LexicalEvidence;
import io.emostream.job.model.ModelInput;
import io.emostream.job.rationale.Rationale;
import io.emostream.job.rationale.RationaleWriter;
import io.emostream.job.segment.Utterance;
import io.emostream.schema.EmotionEvent;
import io.emostream.schema.TranscriptStatus;
import io.emostream.schema.WordsVoiceMismatch;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * From one utterance to its event: measure the acoustic cues, compare each with the speaker's past (then add
 * this utterance to it), read the words when there is a transcript, ask the model (with the label prior of the
 * utterance's domain and role), check the words against the voice, and write the rationale.
 * Plain Java; the speaker's baseline is passed in and updated in place.
 */
public final class UtteranceAnalyzer {
    private final EmotionModel model;
    private final LexicalAnalyzer lexical;
    /** The domain {@code --domain} named, or null to pick one per utterance by its role and source. */
    private final DomainProfile domain;
    private final LongConsumer modelMicros;

    /**
     * @param analysis    how utterances are interpreted; an unknown domain is refused here, in one sentence
     * @param modelMicros told how long each model call took, in microseconds (for a latency metric)
     */
    public UtteranceAnalyzer(EmotionModel model, LexicalAnalyzer lexical, AnalysisSettings analysis, LongConsumer modelMicros) {
        this.model = model;
        this.lexical = lexical;
        this.domain = analysis.domain() == null ? null : DomainProfile.named(analysis.domain());
        this.modelMicros = modelMicros;
    }

    /** An utterance measured against its speaker's past, with its words read: what the model is given. */
    public record Prepared(Utterance utterance, TranscriptStatus transcriptStatus, ModelInput input) {
    }

    /** One utterance, start to finish. */
    public EmotionEvent analyse(Utterance utterance, SpeakerBaseline baseline, String transcript,
                                TranscriptStatus transcriptStatus) throws Exception {
        return finish(List.of(prepare(utterance, baseline, transcript, transcriptStatus))).get(0);
    }

    /**
     * Measures the cues, compares them with the speaker's past (then adds this utterance to it) and reads the words.
     *
     * @param transcript what was said, or null with {@code transcriptStatus} saying why there is none
     */
    public Prepared prepare(Utterance utterance, SpeakerBaseline baseline, String transcript, TranscriptStatus transcriptStatus) {
        AcousticCues acoustic = AcousticCues.measure(utterance.samples);
        boolean knowsSpeaker = baseline.heardSeconds() >= SpeakerBaseline.PRIOR_SECONDS;
        List<CueReading> cues = acoustic.asMeasurements().stream()
                .map(m -> new CueReading(m.name(), m.value(), m.unit(), finite(baseline.zScore(m.name(), m.value())),
                        finite(baseline.usualValue(m.name()))))
                .toList();
        // The utterance is compared with the speaker's past, not with itself: the baseline learns it afterwards.
        baseline.update(acoustic, acoustic.speechSeconds());
        LexicalEvidence words = evidence(transcript == null ? LexicalCues.NONE : lexical.analyze(transcript));
        DomainProfile profile = domain != null ? domain : DomainProfile.byDefault(utterance.role, utterance.source);
        return new Prepared(utterance, transcriptStatus, new ModelInput(utterance.id(), utterance.samples,
                cues, words, transcript, knowsSpeaker, profile.prior(utterance.role)));
    }

    /** Asks the model about a batch of prepared utterances in one call, and writes each one's rationale and event. */
    public List<EmotionEvent> finish(List<Prepared> batch) throws Exception {
        long started = System.nanoTime();
        List<EmotionEstimate> estimates = model.estimate(batch.stream().map(Prepared::input).toList());
        modelMicros.accept((System.nanoTime() - started) / 1000);
        long now = System.currentTimeMillis();
        List<EmotionEvent> events = new java.util.ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Prepared prepared = batch.get(i);
            ModelInput input = prepared.input();
            WordsVoiceMismatch mismatch = WordsVoiceCheck.check(input, estimates.get(i).arousal());
            Rationale rationale = RationaleWriter.write(estimates.get(i), input.cues(), input.lexical(), input.knowsSpeaker(), mismatch);
            events.add(EventBuilder.build(prepared.utterance(), input.transcript(), prepared.transcriptStatus(), input.cues(),
                    estimates.get(i), rationale, mismatch, model.id(), prepared.utterance().transcriptSource, now));
        }
        return events;
    }

    /** The words as a model sees them: valence, the words that carried it (unsigned), keywords by emotion. */
    static LexicalEvidence evidence(LexicalCues cues) {
        List<String> words = cues.valence().drivers().stream()
                .map(driver -> driver.startsWith("+") || driver.startsWith("-") ? driver.substring(1) : driver)
                .toList();
        return new LexicalEvidence(cues.valence().compound(), words, cues.keywords().byEmotion());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
