package io.emostream.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * Any text fetched as an HLS playlist is a playlist fit to follow or one sentence saying why not, never another
 * exception: a multivariant playlist names the playlist to listen to; a media playlist has a finite, positive target
 * duration (it sets how long to wait before fetching again) and numbers its segments one after another, each with a
 * finite, non-negative length. The unit tests run the seeds and past findings (in
 * {@code src/test/resources/.../HlsPlaylistFuzzTestInputs}); {@code bin/fuzz} fuzzes it for a while.
 */
class HlsPlaylistFuzzTest {
    private static final URI BASE = URI.create("https://cdn.example.org/show/live.m3u8");

    @FuzzTest
    void anyTextIsAPlaylistOrOneSentence(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        HlsPlaylist playlist;
        try {
            playlist = HlsPlaylist.parse(BASE, text);
        } catch (SourceException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        if (playlist instanceof HlsPlaylist.Multivariant multivariant) {
            assertThat(multivariant.variants()).isNotEmpty().allSatisfy(variant -> assertAbsolute(variant.uri()));
            assertThat(multivariant.audioRenditions()).allSatisfy(HlsPlaylistFuzzTest::assertAbsolute);
            assertThat(multivariant.audioPlaylist()).isIn(Stream.concat(multivariant.audioRenditions().stream(),
                    multivariant.variants().stream().map(HlsPlaylist.Variant::uri)).toList());
        } else {
            HlsPlaylist.Media media = (HlsPlaylist.Media) playlist;
            assertThat(media.targetSeconds()).isPositive().isFinite();
            List<HlsPlaylist.Segment> segments = media.segments();
            assertThat(segments.size()).isLessThanOrEqualTo((int) text.lines().count());
            assertThat(media.nextSequence()).isGreaterThanOrEqualTo(media.firstSequence());
            for (int i = 0; i < segments.size(); i++) {
                HlsPlaylist.Segment segment = segments.get(i);
                assertThat(segment.sequence()).isEqualTo(media.firstSequence() + i);
                assertThat(media.segment(segment.sequence())).isSameAs(segment);
                assertAbsolute(segment.uri());
                assertThat(segment.seconds()).isGreaterThanOrEqualTo(0).isFinite();
            }
        }
    }

    private static void assertAbsolute(URI uri) {
        assertThat(uri.isAbsolute()).as("%s is absolute", uri).isTrue();
    }
}
