package io.emostream.ingest.siprec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emostream.ingest.InvalidInputException;
import io.emostream.ingest.chunk.CallIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.emostream.testkit.SiprecClient;
import org.junit.jupiter.api.Test;

class RecordingMetadataTest {

    /** RFC 7865's example lives here; the documents SIPp sends in the server's tests live in the testkit. */
    private static String resource(String name) throws Exception {
        var here = RecordingMetadataTest.class.getResource("/siprec/" + name);
        var in = here != null ? here.openStream() : SiprecClient.class.getResourceAsStream("siprec/" + name);
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void rfc7865sExampleNamesWhoSendsEachLabelledStream() throws Exception {
        RecordingMetadata metadata = RecordingMetadata.parse(resource("rfc7865-example.xml"));

        assertThat(metadata.sessionId()).isEqualTo("hVpd7YQgRW2nD22h7q60JQ==");
        assertThat(metadata.sipSessionId())
                .isEqualTo("ab30317f1a784dc48ff824d0d3715d86;remote=47755a9de7794ba387653f2099600ef2");
        assertThat(metadata.participants()).hasSize(2);
        RecordingMetadata.Participant alice = new RecordingMetadata.Participant("sip:alice@atlanta.com", "Alice");
        RecordingMetadata.Participant bob = new RecordingMetadata.Participant("sip:bob@biloxy.com", "Bob");
        assertThat(metadata.senderOf("96")).isEqualTo(alice);
        assertThat(metadata.senderOf("97")).isEqualTo(alice);
        assertThat(metadata.senderOf("98")).isEqualTo(bob);
        assertThat(metadata.senderOf("99")).isEqualTo(bob);
        assertThat(metadata.senderOf("100")).isNull();
        assertThat(RecordingSession.callId(metadata, "sip-call-id")).isEqualTo("855a5ded-8420-456d-a70f-6da1eeaeb425");
    }

    @Test
    void aPrefixedDocumentInAnotherNamespaceIsReadAlike() {
        String xml = """
                <?xml version="1.0"?>
                <rs:recording xmlns:rs="urn:ietf:params:xml:ns:recording">
                  <rs:session session_id="vendor/session/42"/>
                  <rs:participant participant_id="p1">
                    <rs:nameID aor="sip:+15551230001@carrier.example.net"/>
                  </rs:participant>
                  <rs:stream stream_id="s1"><rs:label>1</rs:label></rs:stream>
                  <rs:participantstreamassoc participant_id="p1"><rs:send>s1</rs:send></rs:participantstreamassoc>
                </rs:recording>""";

        RecordingMetadata metadata = RecordingMetadata.parse(xml);

        assertThat(metadata.senderOf("1")).isEqualTo(new RecordingMetadata.Participant("sip:+15551230001@carrier.example.net", null));
        assertThat(RecordingSession.callId(metadata, "x")).as("'/' is the utterance id separator").isEqualTo("vendor_session_42");
    }

    @Test
    void theDraftsIdAttributesAndSendsInsideTheParticipantAreReadToo() {
        String xml = """
                <recording xmlns="urn:ietf:params:xml:ns:recording">
                  <session id="abc"/>
                  <participant id="p1" session="abc">
                    <nameID aor="sip:agent7@pbx.example.com"><name>Agent Seven</name></nameID>
                    <send>s1</send>
                    <recv>s2</recv>
                  </participant>
                  <stream id="s1" session="abc"><label>10</label></stream>
                </recording>""";

        RecordingMetadata metadata = RecordingMetadata.parse(xml);

        assertThat(metadata.senderOf("10")).isEqualTo(new RecordingMetadata.Participant("sip:agent7@pbx.example.com", "Agent Seven"));
    }

    @Test
    void aPartialUpdateReplacesOnlyWhatItNames() throws Exception {
        RecordingMetadata initial = RecordingMetadata.parse(resource("two-party.xml"));

        RecordingMetadata updated = initial.updatedBy(RecordingMetadata.parse(resource("transfer-update.xml")));

        assertThat(updated.senderOf("96")).isEqualTo(new RecordingMetadata.Participant("sip:2002@agents.example.com", "Carol Agent"));
        assertThat(updated.senderOf("97").name()).isEqualTo("Alice Caller");
        assertThat(updated.sessionId()).isEqualTo("0SWFFAfUQcO0gu1MOO5SrA==");
        assertThat(updated.participants()).hasSize(3);
    }

    @Test
    void theCallIdentityNamesSpeakersByChannelAndKeepsTheAors() throws Exception {
        RecordingMetadata metadata = RecordingMetadata.parse(resource("two-party.xml"));

        CallIdentity identity = RecordingSession.identity(metadata, List.of("97", "96"), Map.of("siprec.callId", "abc@src"));

        assertThat(identity.speakers()).containsExactly("Alice Caller", "Bob Agent");
        assertThat(identity.metadata()).containsEntry("siprec.callId", "abc@src")
                .containsEntry("siprec.channel.0.aor", "sip:+15551230001@carrier.example.net")
                .containsEntry("siprec.channel.1.aor", "sip:2001@agents.example.com")
                .containsEntry("siprec.participant.0.name", "Bob Agent")
                .containsEntry("siprec.sipSessionId", "9b1de9a3c0f24a51a9b7e61e2e9a8c11;remote=00000000000000000000000000000000");
    }

    @Test
    void withoutMetadataTheCallIdIsTheRecordingDialogsCallId() {
        assertThat(RecordingSession.callId(RecordingMetadata.NONE, "a84b4c76e66710@pc33.example.com"))
                .isEqualTo("a84b4c76e66710@pc33.example.com");
    }

    @Test
    void malformedMetadataIsRefusedWithOneSentence() {
        assertThatThrownBy(() -> RecordingMetadata.parse("<recording><participant>"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("the recording metadata is not well-formed XML: ");
        assertThatThrownBy(() -> RecordingMetadata.parse("<conference-info/>"))
                .hasMessage("the recording metadata's root element is <conference-info>, not <recording> (RFC 7865)");
        assertThatThrownBy(() -> RecordingMetadata.parse("<recording><participant/></recording>"))
                .hasMessage("a <participant> of the recording metadata has no participant_id attribute");
    }

    @Test
    void theXmlParsersMessageIsKeptToOneLine() {
        // Found by RecordingMetadataFuzzTest: the parser's message quoted a version with a line break in it.
        assertThatThrownBy(() -> RecordingMetadata.parse("<?xml version=\"1.\n0\"?><recording/>"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the recording metadata is not well-formed XML: XML version \"1.\\x0A0\" is not supported, "
                        + "only XML 1.0 is supported.");
    }

    @Test
    void aDocumentTypeDeclarationIsRefusedSoNoEntityIsExpanded() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE recording [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<recording><session session_id=\"&x;\"/></recording>";

        assertThatThrownBy(() -> RecordingMetadata.parse(xml)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("DOCTYPE");
    }
}
