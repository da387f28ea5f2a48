#ifndef VIGIL_CPCRE2_SHIM_H
#define VIGIL_CPCRE2_SHIM_H

// vigil matches raw bytes: the 8-bit library, one code unit per byte.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Swift cannot import PCRE2_UNSET (a cast of ~0 to size_t, which Swift sees as Int),
// so the test for it lives here.
static inline int vigil_pcre2_is_unset(PCRE2_SIZE offset) { return offset == PCRE2_UNSET; }
static inline PCRE2_SIZE vigil_pcre2_unset(void) { return PCRE2_UNSET; }

#endif
