package io.emostream.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HlsPlaylistTest {
    private static final URI BASE = URI.create("https://cdn.example.org/show/master.m3u8");

    @Test
    void aSeparateAudioRenditionIsPreferredDefaultFirst() throws SourceException {
        HlsPlaylist playlist = HlsPlaylist.parse(BASE, """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Commentary",DEFAULT=NO,URI="audio/commentary.m3u8"
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",DEFAULT=YES,URI="audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="aud"
                video/720.m3u8
                """);

        assertThat(((HlsPlaylist.Multivariant) playlist).audioPlaylist()).isEqualTo(URI.create("https://cdn.example.org/show/audio/en.m3u8"));
    }

    @Test
    void anAudioOnlyVariantWinsOverTheCheapestVideo() throws SourceException {
        HlsPlaylist.Multivariant playlist = (HlsPlaylist.Multivariant) HlsPlaylist.parse(BASE, """
                #EXTM3U
                #EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.42e00a,mp4a.40.2"
                low.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS="mp4a.40.2"
                audio.m3u8
                """);
        HlsPlaylist.Multivariant videoOnly = (HlsPlaylist.Multivariant) HlsPlaylist.parse(BASE, """
                #EXTM3U
                #EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720
                https://other.example.org/720.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=600000,RESOLUTION=416x234
                234.m3u8
                """);

        assertThat(playlist.audioPlaylist()).isEqualTo(URI.create("https://cdn.example.org/show/audio.m3u8"));
        assertThat(videoOnly.audioPlaylist()).isEqualTo(URI.create("https://cdn.example.org/show/234.m3u8"));
    }

    @Test
    void aMediaPlaylistKeepsSequenceDiscontinuitiesInitSectionsKeysAndItsEnd() throws SourceException {
        HlsPlaylist.Media media = (HlsPlaylist.Media) HlsPlaylist.parse(BASE, """
                #EXTM3U
                #EXT-X-TARGETDURATION:6
                #EXT-X-MEDIA-SEQUENCE:1041
                #EXT-X-MAP:URI="init-a.mp4"
                #EXTINF:6.006,Intro
                a/1041.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="init-b.mp4"
                #EXTINF:5.5,
                b/1042.m4s
                #EXT-X-KEY:METHOD=AES-128,URI="key.bin"
                #EXTINF:6,
                b/1043.m4s
                #EXT-X-ENDLIST
                """);

        assertThat(media.targetSeconds()).isEqualTo(6);
        assertThat(media.firstSequence()).isEqualTo(1041);
        assertThat(media.nextSequence()).isEqualTo(1044);
        assertThat(media.ended()).isTrue();
        assertThat(media.segments()).containsExactly(
                new HlsPlaylist.Segment(1041, URI.create("https://cdn.example.org/show/a/1041.m4s"), 6.006, false,
                        URI.create("https://cdn.example.org/show/init-a.mp4"), null),
                new HlsPlaylist.Segment(1042, URI.create("https://cdn.example.org/show/b/1042.m4s"), 5.5, true,
                        URI.create("https://cdn.example.org/show/init-b.mp4"), null),
                new HlsPlaylist.Segment(1043, URI.create("https://cdn.example.org/show/b/1043.m4s"), 6, false,
                        URI.create("https://cdn.example.org/show/init-b.mp4"), "AES-128"));
    }

    @Test
    void textThatIsNoPlaylistIsOneSentence() {
        assertThatThrownBy(() -> HlsPlaylist.parse(BASE, "<html>"))
                .hasMessage("https://cdn.example.org/show/master.m3u8 is not an HLS playlist (it does not start with #EXTM3U)");
        assertThatThrownBy(() -> HlsPlaylist.parse(BASE, "#EXTM3U\n#EXTINF:4,\na.ts\n"))
                .hasMessageContaining("without #EXT-X-TARGETDURATION");
    }

    @Test
    void attributesKeepCommasInsideQuotes() {
        assertThat(HlsPlaylist.attributes("#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1,mp4a.40.2\",NAME=x"))
                .containsExactly(java.util.Map.entry("BANDWIDTH", "1"), java.util.Map.entry("CODECS", "avc1,mp4a.40.2"),
                        java.util.Map.entry("NAME", "x"));
    }

    @Test
    void segmentNumbersPastWhatALongHoldsAreRefused() {
        // Found by HlsPlaylistFuzzTest: from a media sequence near 2^63 the segment numbers wrapped to negative, so the
        // next sequence came before the first.
        assertThatThrownBy(() -> HlsPlaylist.parse(BASE,
                "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:9223372036854775806\n#EXTINF:10,\na.aac\n#EXTINF:10,\nb.aac\n"))
                .isInstanceOf(SourceException.class).hasMessageContaining("numbers its segments past 9223372036854775807");
    }

    @Test
    void durationsThatAreNoNumberCountAsNone() throws SourceException {
        // Found by HlsPlaylistFuzzTest: a target duration of NaN passed for one (NaN <= 0 is false), and a segment of
        // Infinity seconds was kept; the wait before fetching the playlist again is the target duration.
        assertThatThrownBy(() -> HlsPlaylist.parse(BASE, "#EXTM3U\n#EXT-X-TARGETDURATION:NaN\n#EXTINF:4,\na.ts\n"))
                .hasMessageContaining("without #EXT-X-TARGETDURATION");
        HlsPlaylist.Media media = (HlsPlaylist.Media) HlsPlaylist.parse(BASE, "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:Infinity,\na.ts\n");
        assertThat(media.segments().get(0).seconds()).isZero();
    }

    @Test
    void anAddressThatIsNoUrlIsOneSentence() {
        // Found by HlsPlaylistFuzzTest: a segment line with a character no URL may hold (here '"' after a '#') escaped
        // as URI's IllegalArgumentException.
        assertThatThrownBy(() -> HlsPlaylist.parse(BASE, "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nX#TYPE=\"AUDIO\"\n"))
                .isInstanceOf(SourceException.class)
                .hasMessage(BASE + " lists \"X#TYPE=\"AUDIO\"\", which is not a URL");
        assertThatThrownBy(() -> HlsPlaylist.parse(BASE, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow res.m3u8\n"))
                .isInstanceOf(SourceException.class).hasMessageContaining("which is not a URL");
    }

    @Test
    void aMediaSequenceAfterTheFirstSegmentIsIgnored() throws SourceException {
        // Found by HlsPlaylistFuzzTest: the tag after a segment changed the first sequence number but not the segments
        // already numbered, so segment(sequence) found the wrong ones.
        HlsPlaylist.Media media = (HlsPlaylist.Media) HlsPlaylist.parse(BASE,
                "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\na.ts\n#EXT-X-MEDIA-SEQUENCE:1041\n#EXTINF:6,\nb.ts\n");

        assertThat(media.firstSequence()).isZero();
        assertThat(media.segments()).extracting(HlsPlaylist.Segment::sequence).containsExactly(0L, 1L);
    }

    @Test
    void aQuoteWithoutItsPairStaysInTheValue() {
        // Found by HlsPlaylistFuzzTest: a value of a lone quote was taken for a quoted string and cut to (1, 0).
        assertThat(HlsPlaylist.attributes("#EXT-X-MEDIA:TYPE=AUDIO,NAME=\"")).containsExactly(
                java.util.Map.entry("TYPE", "AUDIO"), java.util.Map.entry("NAME", "\""));
    }
}
