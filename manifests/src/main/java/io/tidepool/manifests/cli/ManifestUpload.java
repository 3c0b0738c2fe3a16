package io.tidepool.manifests.cli;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.codec.ManifestLimits;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.client.ApiClient;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.manifests.source.ManifestFiles;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends manifest files to the server. The files are parsed here first, so that a malformed file
 * is reported with its line even when no server is running; the server parses and validates
 * again, against what it stores, and decides (and for a named set, records a failed attempt, so
 * it is sent invalid files too).
 */
final class ManifestUpload {
    private final ManifestCodec codec = new ManifestCodec();

    /** The files, and what is wrong with them as far as parsing alone can tell. */
    record Read(List<ManifestFile> files, List<ManifestError> errors) {
    }

    Read read(List<String> paths, InputStream stdin) {
        List<ManifestFile> files = new ManifestFiles(ManifestLimits.DEFAULTS.maxFileBytes()).read(paths, stdin);
        List<ManifestError> errors = new ArrayList<>();
        for (ManifestFile file : files) {
            errors.addAll(codec.decode(file.source(), file.text()).errors());
        }
        return new Read(files, errors);
    }

    ApplyResponse send(ApiClient client, List<String> paths, InputStream stdin, ApplyOptions options, PrintWriter err) {
        Read read = read(paths, stdin);
        List<ManifestError> errors = new ArrayList<>(read.errors());
        if (errors.isEmpty() || (options.set() != null && !options.dryRun())) {
            ApplyResponse response = client.apply(new ApplyRequest(read.files(), options));
            if (errors.isEmpty()) {
                errors.addAll(response.errors());
            }
            if (errors.isEmpty()) {
                return response;
            }
        }
        throw invalid(errors, err);
    }

    /** Prints each error on its line and ends the verb: nothing was applied. */
    static CliException invalid(List<ManifestError> errors, PrintWriter err) {
        errors.forEach(e -> err.println("error: " + e.format()));
        return new CliException(ExitCode.INVALID, errors.size() + (errors.size() == 1 ? " error" : " errors")
                + " in the manifests; nothing was applied");
    }
}
