package io.emostream.ingest.siprec;

import io.emostream.ingest.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The parts of SIPREC recording metadata (RFC 7865, {@code application/rs-metadata+xml}) that say who speaks on
 * which stream: the communication session, its participants (AOR and name) and which participant sends which
 * stream, each stream named by the SDP label of its m-line.
 *
 * <p>Read leniently, as recording clients differ: elements are matched by local name in any namespace and with any
 * prefix; ids may be in {@code session_id}/{@code participant_id}/{@code stream_id} (RFC 7865) or in the {@code id}
 * attributes of its drafts; a participant's {@code send} elements may sit in the participant itself (drafts) or in
 * a {@code participantstreamassoc}.
 *
 * @param sessionId    the communication session's {@code session_id}, or null
 * @param sipSessionId the session's {@code sipSessionID} (RFC 7989 Session-ID), or null
 * @param participants by participant id, in document order
 * @param streamLabels stream id → SDP label
 * @param senders      stream id → id of the participant who sends it
 */
record RecordingMetadata(String sessionId, String sipSessionId, Map<String, Participant> participants,
                         Map<String, String> streamLabels, Map<String, String> senders) {

    /** One participant. Either field may be null. */
    record Participant(String aor, String name) {
    }

    static final RecordingMetadata NONE = new RecordingMetadata(null, null, Map.of(), Map.of(), Map.of());

    /** The participant who sends the stream with this SDP label, or null. */
    Participant senderOf(String label) {
        for (Map.Entry<String, String> stream : streamLabels.entrySet()) {
            if (stream.getValue().equals(label)) {
                String participant = senders.get(stream.getKey());
                return participant == null ? null : participants.get(participant);
            }
        }
        return null;
    }

    /**
     * This metadata with a later document applied: RFC 7865 lets a client send only what changed (a partial
     * update), so what the later one names replaces what this one says and the rest stays.
     */
    RecordingMetadata updatedBy(RecordingMetadata later) {
        Map<String, Participant> participants = new LinkedHashMap<>(this.participants);
        later.participants.forEach((id, p) -> participants.merge(id, p,
                (old, now) -> new Participant(now.aor() != null ? now.aor() : old.aor(),
                        now.name() != null ? now.name() : old.name())));
        Map<String, String> labels = new LinkedHashMap<>(streamLabels);
        labels.putAll(later.streamLabels);
        Map<String, String> senders = new LinkedHashMap<>(this.senders);
        senders.putAll(later.senders);
        return new RecordingMetadata(later.sessionId != null ? later.sessionId : sessionId,
                later.sipSessionId != null ? later.sipSessionId : sipSessionId, participants, labels, senders);
    }

    /** Parses a metadata document; throws with one sentence when it is not recording metadata. */
    static RecordingMetadata parse(String xml) {
        Element root;
        try {
            root = newBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (SAXException e) {
            // The parser's message may quote the document, line breaks and all.
            throw new InvalidInputException("the recording metadata is not well-formed XML: "
                    + InvalidInputException.printable(e.getMessage()), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
        if (!"recording".equals(localName(root))) {
            throw new InvalidInputException("the recording metadata's root element is <" + localName(root)
                    + ">, not <recording> (RFC 7865)");
        }
        String sessionId = null;
        String sipSessionId = null;
        Map<String, Participant> participants = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> senders = new LinkedHashMap<>();
        for (Element child : children(root)) {
            switch (localName(child)) {
                case "session" -> {
                    sessionId = sessionId != null ? sessionId : id(child, "session_id");
                    Element sip = firstChild(child, "sipSessionID");
                    if (sip != null && sipSessionId == null) {
                        sipSessionId = text(sip);
                    }
                }
                case "participant" -> {
                    String id = requiredId(child, "participant_id");
                    Element nameId = firstChild(child, "nameID");
                    String aor = nameId == null ? null : blankToNull(nameId.getAttribute("aor"));
                    Element name = nameId == null ? null : firstChild(nameId, "name");
                    participants.put(id, new Participant(aor, name == null ? null : text(name)));
                    sends(child, id, senders);
                }
                case "stream" -> {
                    String id = requiredId(child, "stream_id");
                    Element label = firstChild(child, "label");
                    if (label != null && text(label) != null) {
                        labels.put(id, text(label));
                    }
                }
                case "participantstreamassoc" -> sends(child, requiredId(child, "participant_id"), senders);
                default -> {
                    // Groups, associations in time and extension data say nothing about who speaks where.
                }
            }
        }
        return new RecordingMetadata(sessionId, sipSessionId, participants, labels, senders);
    }

    private static void sends(Element element, String participantId, Map<String, String> senders) {
        for (Element send : children(element)) {
            if (localName(send).equals("send") && text(send) != null) {
                senders.put(text(send), participantId);
            }
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // Metadata comes from the network: no DTDs, so no external entities and no entity expansion.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // Errors are thrown as exceptions and answered; the default handler would also print them.
            builder.setErrorHandler(new DefaultHandler());
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    private static String requiredId(Element element, String attribute) {
        String id = id(element, attribute);
        if (id == null) {
            throw new InvalidInputException("a <" + localName(element) + "> of the recording metadata has no "
                    + attribute + " attribute");
        }
        return id;
    }

    private static String id(Element element, String attribute) {
        String id = blankToNull(element.getAttribute(attribute));
        return id != null ? id : blankToNull(element.getAttribute("id"));
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static Element firstChild(Element parent, String localName) {
        return children(parent).stream().filter(e -> localName.equals(localName(e))).findFirst().orElse(null);
    }

    private static String localName(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
    }

    /** Text content with runs of whitespace (line folding in the RFC's examples) closed up. */
    private static String text(Element element) {
        return blankToNull(element.getTextContent().strip().replaceAll("\\s*\\n\\s*", ""));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
