# Shared by the benchmark scripts that run a bench class of the server's test code: source it after
# setting root (the repository) and call what it defines.

# Builds the server and the modules it needs, offline, and sets cp to run a bench class with. -am
# resolves the other modules to their target/ directories, never to stale installed jars.
bench_server_classpath() {
  echo "building server and the modules it needs (mvn -o -q)" >&2
  (cd "$root" && mvn -o -q -B -pl server -am -DskipTests test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2)
  cp="$root/server/target/test-classes:$root/server/target/classes:$(cat "$root/server/target/bench.classpath")"
}

# One line that says which machine the figures come from.
bench_machine() {
  echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(uname -r); $(java -version 2>&1 | head -1)"
}

# The same for a bench class of host-runtime's test code.
bench_host_runtime_classpath() {
  echo "building host-runtime and the modules it needs (mvn -o -q)" >&2
  (cd "$root" && mvn -o -q -B -pl host-runtime -am -DskipTests test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2)
  cp="$root/host-runtime/target/test-classes:$root/host-runtime/target/classes:$(cat "$root/host-runtime/target/bench.classpath")"
}
