package io.tidepool.proxy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/** The few libc calls the kernel's side of the proxy needs: BPF, sockets, pidfds. */
interface Libc extends Library {
    Libc C = Native.load("c", Libc.class);
    long SYS_PIDFD_OPEN = 434;
    long SYS_PIDFD_GETFD = 438;

    /** syscall(2) is variadic; glibc's reads its arguments from registers as longs, so a fixed signature does. */
    long syscall(long number, long command, Memory attr, long size) throws LastErrorException;

    /** The same, for calls whose three arguments are numbers. */
    long syscall(long number, long first, long second, long third) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    long send(int fd, Memory buffer, long length, int flags) throws LastErrorException;

    long recv(int fd, Memory buffer, long length, int flags) throws LastErrorException;

    int getsockopt(int fd, int level, int name, Memory value, IntByReference length) throws LastErrorException;

    int getsockname(int fd, Memory address, IntByReference length) throws LastErrorException;

    int getpeername(int fd, Memory address, IntByReference length) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int poll(Memory fds, long count, int timeoutMillis) throws LastErrorException;

    int ioctl(int fd, long request, IntByReference value) throws LastErrorException;
}
