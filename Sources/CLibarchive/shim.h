#ifndef VIGIL_CLIBARCHIVE_SHIM_H
#define VIGIL_CLIBARCHIVE_SHIM_H

// libarchive (Debian's libarchive-dev): zip and its kin (jar, war, ear, whl, nupkg),
// tar, and gzip, bzip2, xz and zstd, read from memory.
#include <archive.h>
#include <archive_entry.h>

// AE_IFREG is a macro with a cast Swift cannot import.
static inline int vigil_archive_entry_is_regular(struct archive_entry *entry) {
  return archive_entry_filetype(entry) == AE_IFREG;
}

// AE_IFLNK likewise.
static inline int vigil_archive_entry_is_symlink(struct archive_entry *entry) {
  return archive_entry_filetype(entry) == AE_IFLNK;
}

#endif
