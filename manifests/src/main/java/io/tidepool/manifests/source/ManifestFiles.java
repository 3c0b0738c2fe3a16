package io.tidepool.manifests.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the files that {@code -f PATH...} names: a file, a directory (every {@code .yaml} and
 * {@code .yml} below it, in path order so that results never depend on the file system), or
 * {@code -} for standard input.
 */
public final class ManifestFiles {
    private final long maxFileBytes;

    public ManifestFiles(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
    }

    /** @throws ManifestReadException naming the path that could not be read and why */
    public List<ManifestFile> read(List<String> paths, InputStream stdin) {
        if (paths.isEmpty()) {
            throw new ManifestReadException("no manifests given: pass -f FILE, -f DIRECTORY or -f - for stdin");
        }
        List<ManifestFile> files = new ArrayList<>();
        for (String path : paths) {
            if (path.equals("-")) {
                files.add(new ManifestFile("<stdin>", readStdin(stdin)));
            } else {
                files.addAll(readPath(Path.of(path)));
            }
        }
        return files;
    }

    private List<ManifestFile> readPath(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> found = manifestsUnder(path);
            if (found.isEmpty()) {
                throw new ManifestReadException(path + ": no .yaml or .yml files in this directory");
            }
            return found.stream().map(this::readFile).toList();
        }
        if (!Files.exists(path)) {
            throw new ManifestReadException(path + ": no such file or directory");
        }
        return List.of(readFile(path));
    }

    private static List<Path> manifestsUnder(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(directory.relativize(p)))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ManifestReadException(directory + ": cannot list: " + e.getMessage());
        }
    }

    // Editors and git keep hidden files (.git/, .#swap) next to manifests; they are never manifests.
    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private ManifestFile readFile(Path path) {
        try {
            long size = Files.size(path);
            if (size > maxFileBytes) {
                throw new ManifestReadException(path + ": file is " + size + " bytes, more than the limit of "
                        + maxFileBytes + " bytes per manifest file");
            }
            return new ManifestFile(path.toString(), decode(path.toString(), Files.readAllBytes(path)));
        } catch (IOException e) {
            throw new ManifestReadException(path + ": cannot read: " + e.getMessage());
        }
    }

    private String readStdin(InputStream stdin) {
        try {
            byte[] bytes = stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
            if (bytes.length > maxFileBytes) {
                throw new ManifestReadException("<stdin>: more than the limit of " + maxFileBytes + " bytes");
            }
            return decode("<stdin>", bytes);
        } catch (IOException e) {
            throw new ManifestReadException("<stdin>: cannot read: " + e.getMessage());
        }
    }

    private static String decode(String source, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ManifestReadException(source + ": not UTF-8 text");
        }
    }
}
