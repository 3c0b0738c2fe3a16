package io.tidepool.manifests.git;

/**
 * A directory or file inside a repository, as {@code --path} names it, in git's form: relative to
 * the repository's root, with '/' between parts and no '.' or '..'; empty for the root.
 */
public record RepositoryPath(String value) {
    public static final RepositoryPath ROOT = new RepositoryPath("");

    public RepositoryPath {
        if (value == null || value.startsWith("/") || value.endsWith("/") || value.contains("//")) {
            throw new IllegalArgumentException("not a repository path: " + value);
        }
    }

    /** @throws IllegalArgumentException when it leaves the repository or cannot name a path in it */
    public static RepositoryPath parse(String text) {
        if (text == null) {
            return ROOT;
        }
        String path = text.strip().replace('\\', '/').replaceAll("/+", "/");
        path = path.replaceAll("^/", "").replaceAll("/$", "");
        StringBuilder normal = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("path \"" + text + "\" leaves the repository: '..' is not allowed");
            }
            normal.append(normal.length() == 0 ? "" : "/").append(part);
        }
        return new RepositoryPath(normal.toString());
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    /** Whether a path of the repository is this one or lies below it. */
    public boolean contains(String repositoryPath) {
        return isRoot() || repositoryPath.equals(value) || repositoryPath.startsWith(value + "/");
    }

    /** The part of a path below this one; a file's own name when this path is that file. */
    public String relativize(String repositoryPath) {
        if (isRoot()) {
            return repositoryPath;
        }
        if (repositoryPath.equals(value)) {
            return value.substring(value.lastIndexOf('/') + 1);
        }
        return repositoryPath.substring(value.length() + 1);
    }

    @Override
    public String toString() {
        return isRoot() ? "(the repository root)" : value;
    }
}
