package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.ingest.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Any recording metadata a client sends is who speaks on which stream, or one sentence saying why it is not RFC 7865
 * metadata; never another exception, a hang, an entity expanded or a file or URL read (the seeds hold an external
 * entity, an external DTD and a billion laughs, which must all be refused). The unit tests run the seeds and past
 * findings (in {@code src/test/resources/.../RecordingMetadataFuzzTestInputs}).
 */
class RecordingMetadataFuzzTest {
    @FuzzTest
    void anyDocumentIsWhoSpeaksWhereOrOneSentence(byte[] bytes) {
        String xml = new String(bytes, StandardCharsets.UTF_8);
        RecordingMetadata metadata;
        try {
            metadata = RecordingMetadata.parse(xml);
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
            return;
        }
        assertThat(declaresDocumentType(xml)).as("a document type, so entities, was accepted").isFalse();
        for (String id : metadata.participants().keySet()) {
            assertThat(id).isNotBlank().isEqualTo(id.strip());
        }
        metadata.participants().values().forEach(participant -> {
            assertThat(participant.aor()).satisfiesAnyOf(aor -> assertThat(aor).isNull(), aor -> assertThat(aor).isNotBlank());
            assertThat(participant.name()).satisfiesAnyOf(name -> assertThat(name).isNull(), name -> assertThat(name).isNotBlank());
        });
        metadata.streamLabels().forEach((stream, label) -> {
            assertThat(stream).isNotBlank();
            assertThat(label).isNotBlank();
            RecordingMetadata.Participant sender = metadata.senderOf(label);
            assertThat(sender == null || metadata.participants().containsValue(sender)).isTrue();
        });
        metadata.senders().forEach((stream, participant) -> assertThat(stream).isNotBlank());
        // A partial update (RFC 7865) that repeats everything changes nothing, and applies in full to no metadata.
        assertThat(metadata.updatedBy(metadata)).isEqualTo(metadata);
        assertThat(RecordingMetadata.NONE.updatedBy(metadata)).isEqualTo(metadata);
    }

    /** Asks a parser that reads a DOCTYPE, but never loads or expands anything it names. */
    private static boolean declaresDocumentType(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return builder.parse(new InputSource(new StringReader(xml))).getDoctype() != null;
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return false;
        }
    }
}
