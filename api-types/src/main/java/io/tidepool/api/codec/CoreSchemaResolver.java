package io.tidepool.api.codec;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Decides what an unquoted scalar is the way YAML 1.2 (and JSON) do: only {@code true}/{@code false}
 * are booleans and only {@code null}, {@code ~} or nothing is null. SnakeYAML's default follows
 * YAML 1.1, where {@code no}, {@code on} and {@code off} are booleans and {@code 2024-05-01} is a
 * timestamp: the "Norway problem" that silently turns a country code into false.
 */
final class CoreSchemaResolver extends Resolver {
    private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    private static final Pattern CORE_INT = Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$");
    private static final Pattern CORE_FLOAT = Pattern.compile(
            "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
    private static final Pattern CORE_NULL = Pattern.compile("^(?:~|null|Null|NULL)$");
    private static final Pattern MERGE_KEY = Pattern.compile("^(?:<<)$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF", 10);
        addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.MERGE, MERGE_KEY, "<", 10);
        addImplicitResolver(Tag.NULL, CORE_NULL, "~nN\0", 10);
        addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
}
