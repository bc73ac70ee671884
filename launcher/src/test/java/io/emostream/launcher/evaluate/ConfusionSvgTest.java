package io.emostream.launcher.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ConfusionSvgTest {
    @Test
    void aHeatMapWithCountsSharesAndANoneColumn() throws Exception {
        // References calm, calm, calm, <loud>; predictions calm, <loud>, none, <loud>.
        ConfusionMatrix matrix = ConfusionMatrix.of(List.of("calm", "<loud>"), List.of("calm", "calm", "calm", "<loud>"),
                Arrays.asList("calm", "<loud>", null, "<loud>"));

        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(ConfusionSvg.render(matrix, "A & B").getBytes(StandardCharsets.UTF_8)));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        // Labels escaped and read back; a "none" column because one clip got no prediction.
        assertThat(texts).contains("A & B", "calm", "<loud>", "none", "n = 3", "n = 1");
        // Row calm: 1, 1, 1 of 3 (33 % each); row <loud>: 0, 1, 0 of 1.
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            if ("14".equals(((Element) nodes.item(i)).getAttribute("font-size"))) {
                cells.add(nodes.item(i).getTextContent());
            }
        }
        assertThat(cells).containsExactly("1", "1", "1", "0", "1", "0");
        assertThat(texts).contains("33%", "100%", "0%");
        // The fullest cell is darkest: a whole row in one cell is the legend's top shade.
        assertThat(ConfusionSvg.shade(1)).isEqualTo("#08306b");
        assertThat(ConfusionSvg.shade(0)).isEqualTo("#f7fbff");
    }
}
