package io.emostream.ingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_bytes_per_sample;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The child process that runs FFmpeg: {@code MediaDecoder FILE TRACK} decodes audio track TRACK (counting audio
 * tracks from 0) of FILE; {@code MediaDecoder pipe:0 TRACK} decodes the bytes written to its standard input as they
 * come (a live stream: every decoded frame is passed on at once, and the stream is probed briefly). It runs in a JVM of its own ({@link MediaReader} starts it) so that a native crash on a bad
 * file ends this process only, never the ingest.
 *
 * <p>Its protocol, all of it here: on standard output, one JSON line {@code {"codec", "sampleRate", "channels",
 * "seconds"}} (seconds: the length the file declares, 0 when it declares none),
 * then signed 16-bit little-endian samples, channels interleaved, to the end of the stream. On
 * standard error, last, one line {@value #SUMMARY_PREFIX}{@code {...}}: either {@code {"framesSkipped",
 * "framesDecoded", "warnings", "decodeCpuSeconds"}} or {@code {"error"}}, a sentence saying why the file cannot be
 * decoded. Exit status 0 for both; anything else (a crash) is the parent's to report.
 */
public final class MediaDecoder {
    /** Starts the summary line on standard error; anything else there (JVM notes) is ignored. */
    static final String SUMMARY_PREFIX = "emostream-media-summary ";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EAGAIN = -11;

    /** The input that is standard input: FFmpeg's name for it. */
    static final String STANDARD_INPUT = "pipe:0";
    /** A live stream is probed this far (bytes, microseconds) before its audio starts to flow, not FFmpeg's 5 MB / 5 s. */
    private static final String LIVE_PROBE_BYTES = "131072";
    private static final String LIVE_PROBE_MICROSECONDS = "1500000";

    private final OutputStream pcm;
    private final boolean live;
    private final List<String> warnings = new ArrayList<>();
    private int channels;
    private int sampleRate;
    private long framesWritten;
    private long framesSkipped;
    private boolean headerWritten;
    private double declaredSeconds;
    private boolean lastPacketSkipped;
    private byte[] out = new byte[0];

    private MediaDecoder(OutputStream pcm, boolean live) {
        this.pcm = pcm;
        this.live = live;
    }

    public static void main(String[] args) throws IOException {
        // Standard output carries the samples alone: whatever else prints goes to standard error.
        OutputStream pcm = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream err = System.err;
        System.setOut(err);
        Map<String, Object> summary;
        try {
            summary = new MediaDecoder(pcm, args[0].equals(STANDARD_INPUT)).decode(args[0], Integer.parseInt(args[1]));
        } catch (Unreadable e) {
            summary = Map.of("error", e.getMessage());
        }
        pcm.flush();
        pcm.close();
        err.println(SUMMARY_PREFIX + JSON.writeValueAsString(summary));
        err.flush();
    }

    /** A file FFmpeg cannot decode, for a reason the user can act on. */
    private static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    private Map<String, Object> decode(String file, int track) throws Unreadable, IOException {
        av_log_set_level(AV_LOG_QUIET); // errors are reported through return codes, in our own words
        AVFormatContext format = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        if (live) {
            av_dict_set(options, "probesize", LIVE_PROBE_BYTES, 0);
            av_dict_set(options, "analyzeduration", LIVE_PROBE_MICROSECONDS, 0);
        }
        int status = avformat_open_input(format, file, null, options);
        av_dict_free(options);
        if (status < 0) {
            throw new Unreadable("FFmpeg cannot open it as audio or video (" + describe(status) + ")");
        }
        AVCodecContext codec = null;
        try {
            status = avformat_find_stream_info(format, (PointerPointer<?>) null);
            if (status < 0) {
                throw new Unreadable("FFmpeg cannot make out its streams (" + describe(status) + ")");
            }
            AVStream stream = audioStream(format, track);
            AVCodecParameters parameters = stream.codecpar();
            String codecName = avcodec_get_name(parameters.codec_id()).getString();
            if (parameters.codec_id() == AV_CODEC_ID_NONE) {
                // Not a codec this build lacks (fuzzing found this): the track's codec field is one no FFmpeg knows.
                throw new Unreadable("its audio track names no codec FFmpeg knows: the file is probably damaged");
            }
            AVCodec decoder = avcodec_find_decoder(parameters.codec_id());
            if (decoder == null) {
                throw new Unreadable("its audio codec " + codecName + " is not supported by emostream's FFmpeg (the LGPL build)");
            }
            codec = avcodec_alloc_context3(decoder);
            avcodec_parameters_to_context(codec, parameters);
            status = avcodec_open2(codec, decoder, (PointerPointer<?>) null);
            if (status < 0) {
                throw new Unreadable("its " + codecName + " audio cannot be decoded (" + describe(status) + ")");
            }
            declaredSeconds = declaredSeconds(format, stream);
            long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            decodePackets(format, codec, stream, codecName);
            // The packets alone, for bench decode: JVM start and FFmpeg's loading are a cost per file, not per second.
            double decodeCpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore) / 1e9;
            if (!headerWritten) {
                throw new Unreadable("holds no audio FFmpeg could decode" + (framesSkipped > 0
                        ? " (" + framesSkipped + " corrupt " + codecName + " frames)" : ""));
            }
            checkLength(declaredSeconds);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("framesSkipped", framesSkipped);
            summary.put("framesDecoded", framesWritten);
            summary.put("warnings", warnings);
            summary.put("decodeCpuSeconds", decodeCpuSeconds);
            return summary;
        } finally {
            if (codec != null) {
                avcodec_free_context(codec);
            }
            avformat_close_input(format);
        }
    }

    private static AVStream audioStream(AVFormatContext format, int track) throws Unreadable {
        List<AVStream> audio = new ArrayList<>();
        boolean video = false;
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream stream = format.streams(i);
            int type = stream.codecpar().codec_type();
            if (type == AVMEDIA_TYPE_AUDIO) {
                audio.add(stream);
            } else if (type == AVMEDIA_TYPE_VIDEO) {
                video = true;
            }
        }
        if (audio.isEmpty()) {
            throw new Unreadable(video ? "is a video without sound: it has no audio track" : "has no audio track");
        }
        if (track >= audio.size()) {
            throw new Unreadable("has " + audio.size() + " audio track" + (audio.size() == 1 ? "" : "s")
                    + ", so there is no track " + track + " (--audio-track counts from 0)");
        }
        return audio.get(track);
    }

    private void decodePackets(AVFormatContext format, AVCodecContext codec, AVStream stream, String codecName) throws IOException {
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            while (true) {
                int status = av_read_frame(format, packet);
                if (status < 0) {
                    if (status != AVERROR_EOF) {
                        warnings.add(String.format(Locale.ROOT, "reading stopped at %.2f s (%s); the audio up to there was decoded",
                                seconds(), describe(status)));
                    }
                    break;
                }
                if (packet.stream_index() == stream.index()) {
                    status = avcodec_send_packet(codec, packet);
                    lastPacketSkipped = status < 0 && status != EAGAIN;
                    if (lastPacketSkipped) {
                        skip(packet, stream.time_base());
                    } else {
                        receiveFrames(codec, frame, codecName);
                    }
                }
                av_packet_unref(packet);
            }
            avcodec_send_packet(codec, null); // drain the decoder's delayed frames
            receiveFrames(codec, frame, codecName);
        } finally {
            av_frame_free(frame);
            av_packet_free(packet);
        }
    }

    private void receiveFrames(AVCodecContext codec, AVFrame frame, String codecName) throws IOException {
        while (true) {
            int status = avcodec_receive_frame(codec, frame);
            if (status == EAGAIN || status == AVERROR_EOF) {
                return;
            }
            if (status < 0) {
                framesSkipped++;
                return;
            }
            write(frame, codecName);
        }
    }

    /** A packet the decoder refused: counted, and replaced by silence of its length so later audio keeps its time. */
    private void skip(AVPacket packet, AVRational timeBase) throws IOException {
        framesSkipped++;
        if (headerWritten && packet.duration() > 0) {
            long frames = packet.duration() * sampleRate * timeBase.num() / timeBase.den();
            writeSilence(frames);
        }
    }

    private void write(AVFrame frame, String codecName) throws IOException {
        int frameChannels = frame.ch_layout().nb_channels();
        if (!headerWritten) {
            channels = frameChannels;
            sampleRate = frame.sample_rate();
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("codec", codecName);
            header.put("sampleRate", sampleRate);
            header.put("channels", channels);
            header.put("seconds", declaredSeconds);
            pcm.write((JSON.writeValueAsString(header) + "\n").getBytes(StandardCharsets.UTF_8));
            headerWritten = true;
        } else if (frameChannels != channels || frame.sample_rate() != sampleRate) {
            // Calls keep one format; a frame in another (a broadcast switching layouts, say) is left out.
            framesSkipped++;
            return;
        }
        int samples = frame.nb_samples();
        int sampleFormat = frame.format();
        int bytesPerSample = av_get_bytes_per_sample(sampleFormat);
        boolean planar = av_sample_fmt_is_planar(sampleFormat) != 0;
        if (out.length < samples * channels * 2) {
            out = new byte[samples * channels * 2];
        }
        for (int c = 0; c < channels; c++) {
            BytePointer plane = frame.extended_data(planar ? c : 0);
            ByteBuffer in = plane.capacity((long) samples * bytesPerSample * (planar ? 1 : channels)).asByteBuffer()
                    .order(ByteOrder.nativeOrder());
            for (int i = 0; i < samples; i++) {
                int at = (planar ? i : i * channels + c) * bytesPerSample;
                short value = toShort(in, at, sampleFormat);
                int o = (i * channels + c) * 2;
                out[o] = (byte) value;
                out[o + 1] = (byte) (value >> 8);
            }
        }
        pcm.write(out, 0, samples * channels * 2);
        framesWritten += samples;
        if (live) {
            pcm.flush(); // a live listener hears each frame when it is decoded, not when a buffer fills
        }
    }

    /** FFmpeg's sample formats to 16 bits, as the WAV reader does: integers keep their top bits, floats are scaled. */
    private static short toShort(ByteBuffer in, int at, int sampleFormat) {
        return switch (SampleKind.of(sampleFormat)) {
            case U8 -> (short) (((in.get(at) & 0xff) - 128) << 8);
            case S16 -> in.getShort(at);
            case S32 -> (short) (in.getInt(at) >> 16);
            case S64 -> (short) (in.getLong(at) >> 48);
            case FLOAT -> fromFloat(in.getFloat(at));
            case DOUBLE -> fromFloat(in.getDouble(at));
        };
    }

    private static short fromFloat(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        double scaled = Math.max(-1, Math.min(1, value)) * 32767;
        return (short) (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled));
    }

    /** FFmpeg's AVSampleFormat values, packed and planar alike (avutil/samplefmt.h). */
    private enum SampleKind {
        U8, S16, S32, FLOAT, DOUBLE, S64;

        static SampleKind of(int sampleFormat) {
            return switch (sampleFormat) {
                case 0, 5 -> U8;
                case 1, 6 -> S16;
                case 2, 7 -> S32;
                case 3, 8 -> FLOAT;
                case 4, 9 -> DOUBLE;
                case 10, 11 -> S64;
                default -> throw new IllegalStateException("FFmpeg sample format " + sampleFormat + " is not one emostream knows");
            };
        }
    }

    private void writeSilence(long frames) throws IOException {
        byte[] zeros = new byte[channels * 2 * 1024];
        for (long left = frames; left > 0; left -= 1024) {
            pcm.write(zeros, 0, (int) Math.min(1024, left) * channels * 2);
        }
        framesWritten += frames;
    }

    /**
     * A file that holds less audio than it declares was cut short (decoded to the cut, and said so), unless corrupt
     * data inside it was what went missing: FFmpeg drops bytes it cannot make frames of, without a count.
     */
    private void checkLength(double declaredSeconds) {
        double decoded = seconds();
        // Codecs pad and trim their first and last frames: a tenth of a second either way is no cut.
        if (!(declaredSeconds > 0 && decoded < declaredSeconds - 0.1)) {
            return;
        }
        if (framesSkipped == 0 || lastPacketSkipped) {
            warnings.add(String.format(Locale.ROOT, "the file is cut short: it declares %.2f s, but its audio ends at %.2f s;"
                    + " decoded up to the cut", declaredSeconds, decoded));
        } else {
            warnings.add(String.format(Locale.ROOT, "%.2f s of the %.2f s it declares were decoded: corrupt data was left out,"
                    + " so the audio after it comes that much earlier", decoded, declaredSeconds));
        }
    }

    private static double declaredSeconds(AVFormatContext format, AVStream stream) {
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
            return stream.duration() * (double) stream.time_base().num() / stream.time_base().den();
        }
        // The container's own duration covers every stream (a video's picture may run longer): trusted for audio alone.
        boolean audioAlone = format.nb_streams() == 1;
        return audioAlone && format.duration() != AV_NOPTS_VALUE && format.duration() > 0 ? (double) format.duration() / AV_TIME_BASE : 0;
    }

    private double seconds() {
        return sampleRate == 0 ? 0 : (double) framesWritten / sampleRate;
    }

    private static String describe(int status) {
        byte[] text = new byte[256];
        av_strerror(status, text, text.length);
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }
}
