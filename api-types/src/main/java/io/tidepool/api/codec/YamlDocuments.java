package io.tidepool.api.codec;

import java.util.List;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a YAML (or JSON) text into one node graph per document, within {@link ManifestLimits}.
 *
 * <p>This uses SnakeYAML's composer directly rather than Jackson's YAML parser: Jackson reads only
 * the event stream, so SnakeYAML's alias and depth limits never apply through it, and it turns an
 * alias into the anchor's name as a string. Nodes also carry the line and column of everything.
 */
final class YamlDocuments {
    private static final String SCANNER_SIZE_LIMIT = "The incoming YAML document exceeds the limit";

    private YamlDocuments() {
    }

    /**
     * Hands each non-empty document to {@code perDocument} as soon as it is composed, so that the
     * documents before a syntax error are still decoded, and returns the errors that stopped reading.
     */
    static List<ManifestError> read(String source, String text, ManifestLimits limits, Consumer<Node> perDocument) {
        LoaderOptions options = loaderOptions(limits);
        BoundedEvents events = new BoundedEvents(new ParserImpl(new StreamReader(withoutJsonTabs(text)), options), limits);
        Composer composer = new Composer(events, new CoreSchemaResolver(), options);
        try {
            while (composer.checkNode()) {
                Node root = composer.getNode();
                if (!isEmpty(root)) {
                    perDocument.accept(root);
                }
            }
            return List.of();
        } catch (BoundedEvents.LimitExceeded e) {
            return List.of(error(source, e.mark(), e.getMessage()));
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : events.lastMark();
            return List.of(error(source, at, "invalid YAML: " + describe(e)));
        } catch (YAMLException e) {
            return List.of(unmarked(source, e, limits, events));
        }
    }

    private static LoaderOptions loaderOptions(ManifestLimits limits) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxDocumentBytes()));
        // BoundedEvents enforces depth and aliases per document, with positions; these stay as a backstop
        // set just beyond them. SnakeYAML counts aliases per stream, hence the product.
        options.setNestingDepthLimit(limits.maxDepth() + 1);
        options.setMaxAliasesForCollections(
                (int) Math.min(Integer.MAX_VALUE, (long) limits.maxAliases() * limits.maxDocuments() + 1));
        options.setAllowRecursiveKeys(false);
        // Only the constructor consults this; the composer keeps duplicates and NodeBinder reports them.
        options.setAllowDuplicateKeys(false);
        options.setMergeOnCompose(true);
        return options;
    }

    private static boolean isEmpty(Node root) {
        return root instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "unreadable" : e.getProblem().strip();
        if (e.getContext() == null) {
            return problem;
        }
        String where = e.getContextMark() == null ? "" : " at line " + (e.getContextMark().getLine() + 1);
        return problem + " (" + e.getContext().strip() + where + ")";
    }

    private static ManifestError unmarked(String source, YAMLException e, ManifestLimits limits, BoundedEvents events) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith(SCANNER_SIZE_LIMIT)) {
            return error(source, events.documentStart(), BoundedEvents.documentTooLarge(limits));
        }
        return error(source, events.lastMark(), "invalid YAML: " + message);
    }

    private static ManifestError error(String source, Mark mark, String message) {
        SourcePosition at = mark == null
                ? SourcePosition.startOf(source)
                : new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1);
        return ManifestError.at(at, null, null, message);
    }

    /**
     * JSON indented with tabs is valid JSON but not YAML, which SnakeYAML refuses. JSON allows no raw
     * tab inside a string, so in a text that starts like JSON every tab outside quotes becomes a space,
     * which keeps every line and column where it was.
     */
    static String withoutJsonTabs(String text) {
        if (text.indexOf('\t') < 0 || !looksLikeJson(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote == '"' && c == '\\' && i + 1 < text.length()) {
                out.append(c);
                c = text.charAt(++i);
            } else if (c == quote) {
                quote = 0;
            } else if (quote == 0 && c == '\t') {
                c = ' ';
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }
}
