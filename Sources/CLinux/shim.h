#ifndef VIGIL_CLINUX_SHIM_H
#define VIGIL_CLINUX_SHIM_H

// Linux calls Swift cannot make itself: openat2(2) has no glibc wrapper before 2.38
// and Swift cannot call the variadic syscall(2); mallopt(3) and memmem(3) (a GNU
// extension) are in no module Swift imports.

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <malloc.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

// Allocations of `bytes` and more come from mmap and go back to the system when
// freed, at this fixed threshold (glibc raises its own after the first such free,
// and later large buffers then stay in each thread's heap).
static inline void vigil_map_allocations_from(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }

// glibc's memmem (two-way search, vectorised): declared here, as <string.h> declares
// it only under _GNU_SOURCE.
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);
static inline const void *vigil_memmem(const void *haystack, size_t length, const void *needle, size_t needleLength) {
  return memmem(haystack, length, needle, needleLength);
}

// Opens `path`, relative to the directory `dirfd`, one component at a time with
// O_NOFOLLOW: a component that is a symbolic link (or is swapped for one while this
// runs) fails with ELOOP; `..` and absolute paths fail with EXDEV. `flags` are
// open(2)'s for the last component; O_CLOEXEC and O_NOFOLLOW are added.
static inline int vigil_open_beneath_stepwise(int dirfd, const char *path, int flags) {
  flags |= O_CLOEXEC | O_NOFOLLOW;
  if (path[0] == '/') {
    errno = EXDEV;
    return -1;
  }
  int current = dirfd;
  const char *cursor = path;
  for (;;) {
    size_t length = strcspn(cursor, "/");
    const char *rest = cursor + length;
    while (*rest == '/') rest++;
    int last = *rest == '\0';
    char component[256];
    if (length >= sizeof component) {
      errno = ENAMETOOLONG;
    } else if (length == 2 && cursor[0] == '.' && cursor[1] == '.') {
      errno = EXDEV;
    } else {
      memcpy(component, cursor, length);
      component[length] = '\0';
      int next = openat(current, length == 0 ? "." : component,
                        last ? flags : (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      int saved = errno;
      struct stat info;
      if (next < 0 && saved == ENOTDIR && !last
          && fstatat(current, component, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode)) {
        saved = ELOOP;  // as openat2 says it: a link, not a file, is in the way
      }
      if (current != dirfd) close(current);
      errno = saved;
      if (next < 0 || last) return next;
      current = next;
      cursor = rest;
      continue;
    }
    if (current != dirfd) close(current);
    return -1;
  }
}

// The same in one call where the kernel has openat2 (Linux 5.6) with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS; stepwise where the kernel or a seccomp filter
// refuses it, or the path is longer than PATH_MAX (which openat2 cannot take).
static inline int vigil_open_beneath(int dirfd, const char *path, int flags) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (unsigned long long)(flags | O_CLOEXEC | O_NOFOLLOW);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
  if (fd >= 0) return (int)fd;
  if (errno == ENOSYS || errno == EPERM || errno == E2BIG || errno == ENAMETOOLONG) {
    return vigil_open_beneath_stepwise(dirfd, path, flags);
  }
  return -1;
}

#endif
