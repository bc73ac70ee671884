package io.emostream.launcher.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code confusion.svg}: the confusion matrix as a heat map, references in rows, predictions in columns (and a "none"
 * column when some clips got no prediction). Each cell shows its count and its share of the row, and is shaded by
 * that share, so that a class's recall reads along the diagonal whatever the class sizes. Plain SVG written by
 * hand: it opens in any browser and renders in Markdown viewers.
 */
final class ConfusionSvg {
    private static final int CELL = 64;
    private static final int LEFT = 150;
    private static final int TOP = 150;
    private static final int LEGEND = 90;

    private ConfusionSvg() {
    }

    static void write(Path file, ConfusionMatrix matrix, String title) throws IOException {
        Files.writeString(file, render(matrix, title), StandardCharsets.UTF_8);
    }

    static String render(ConfusionMatrix matrix, String title) {
        List<String> rows = matrix.labels();
        List<String> columns = new ArrayList<>(rows);
        boolean none = matrix.unpredicted() > 0;
        if (none) {
            columns.add(null);
        }
        // Wide enough for the title and the caption however few the labels.
        int width = Math.max(560, LEFT + columns.size() * CELL + LEGEND);
        int height = TOP + rows.size() * CELL + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n",
                width, height, width, height));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                12, escape(title)));
        int gridRight = LEFT + columns.size() * CELL;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"44\" text-anchor=\"middle\" font-weight=\"bold\">"
                + "Prediction</text>%n", (LEFT + gridRight) / 2));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\""
                + " transform=\"rotate(-90 18 %d)\">Reference (majority label)</text>%n",
                TOP + rows.size() * CELL / 2, TOP + rows.size() * CELL / 2));
        for (int c = 0; c < columns.size(); c++) {
            int x = LEFT + c * CELL + CELL / 2;
            String label = columns.get(c) == null ? "none" : columns.get(c);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-45 %d %d)\"%s>%s</text>%n",
                    x, TOP - 8, x, TOP - 8, columns.get(c) == null ? " font-style=\"italic\"" : "", escape(label)));
        }
        for (int r = 0; r < rows.size(); r++) {
            String reference = rows.get(r);
            long support = matrix.scores(reference).support();
            int y = TOP + r * CELL;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 8, y + CELL / 2 - 2, escape(reference)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666666\""
                    + " font-size=\"10\">n = %d</text>%n", LEFT - 8, y + CELL / 2 + 12, support));
            for (int c = 0; c < columns.size(); c++) {
                long count = matrix.count(reference, columns.get(c));
                double share = support == 0 ? 0 : (double) count / support;
                int x = LEFT + c * CELL;
                // A row nobody labelled is grey: it has no share to shade.
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\""
                        + " stroke=\"#ffffff\"/>%n", x, y, CELL, CELL, support == 0 ? "#eeeeee" : shade(share)));
                String ink = share > 0.55 ? "#ffffff" : "#1a1a1a";
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\""
                        + " font-size=\"14\">%d</text>%n", x + CELL / 2, y + CELL / 2, ink, count));
                if (support > 0) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\""
                            + " font-size=\"10\">%.0f%%</text>%n", x + CELL / 2, y + CELL / 2 + 15, ink, share * 100));
                }
            }
        }
        // The diagonal (right answers) is outlined last, so that no neighbouring cell's edge covers it.
        for (int r = 0; r < rows.size(); r++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                    + " stroke=\"#222222\" stroke-width=\"1.5\"/>%n", LEFT + r * CELL, TOP + r * CELL, CELL, CELL));
        }
        // The legend: the shades from 0 % to 100 % of a row.
        int lx = gridRight + 24;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">share of row</text>%n", lx, TOP - 8));
        for (int step = 0; step <= 10; step++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"12\" fill=\"%s\"/>%n",
                    lx, TOP + (10 - step) * 12, shade(step / 10.0)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">100%%</text>%n", lx + 20, TOP + 10));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">0%%</text>%n", lx + 20, TOP + 130));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666666\" font-size=\"10\">%d clips; rows"
                + " are the majority labels, the diagonal the recall of each class, grey rows labels no clip has</text>%n", 12, height - 12, matrix.total()));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** White to dark blue as the share goes from 0 to 1. */
    static String shade(double share) {
        double s = Math.max(0, Math.min(1, share));
        int r = (int) Math.round(247 + (8 - 247) * s);
        int g = (int) Math.round(251 + (48 - 251) * s);
        int b = (int) Math.round(255 + (107 - 255) * s);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
