#ifndef VIGIL_CBYTERUNS_SHIM_H
#define VIGIL_CBYTERUNS_SHIM_H

// Runs of base64 bytes (A-Z, a-z, 0-9 and + / - _, both alphabets), sixteen bytes at a
// time with SSE2 where the CPU has it (every x86-64 does), a byte at a time elsewhere:
// the search for encoded text reads every byte of every file, and Swift does not
// vectorise that loop itself. And runs of text in a binary file (printable ASCII, tab,
// CR and LF), where secrets are looked for.

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>

// One bit per byte of the 16 at `p`: set for a base64 byte.
static inline unsigned vigil_base64_mask16(const uint8_t *p) {
  __m128i v = _mm_loadu_si128((const __m128i *)p);
  // x in [lo, lo + n) for unsigned bytes: shift lo to -128, compare as signed.
  __m128i letter = _mm_or_si128(v, _mm_set1_epi8(0x20));
  __m128i letters = _mm_cmplt_epi8(_mm_add_epi8(letter, _mm_set1_epi8((char)(0x80 - 'a'))),
                                   _mm_set1_epi8((char)(0x80 + 26)));
  __m128i digits = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))),
                                  _mm_set1_epi8((char)(0x80 + 10)));
  __m128i marks = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letters, digits), marks));
}
#endif

static inline int vigil_is_base64_byte(uint8_t b) {
  uint8_t letter = b | 0x20;
  return (letter >= 'a' && letter <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/' ||
         b == '-' || b == '_';
}

#if defined(__SSE2__)
// One bit per byte of the 16 at `p`: set for a text byte (0x20-0x7E, tab, LF, CR).
static inline unsigned vigil_text_mask16(const uint8_t *p) {
  __m128i v = _mm_loadu_si128((const __m128i *)p);
  __m128i printable = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 0x20))),
                                     _mm_set1_epi8((char)(0x80 + 0x5F)));
  __m128i blanks = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
      _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(printable, blanks));
}
#endif

static inline int vigil_is_text_byte(uint8_t b) {
  return (b >= 0x20 && b <= 0x7E) || b == '\t' || b == '\n' || b == '\r';
}

// The run searches, for a class of bytes given as its 16-byte mask (SSE2) and its
// one-byte test; each class below is one line over these.
#if defined(__SSE2__)
typedef unsigned (*vigil_mask16)(const uint8_t *);
#else
typedef void *vigil_mask16;
#endif
typedef int (*vigil_in_class)(uint8_t);

// How many of the `count` bytes from `p` on are in the class before the first that is not.
static inline size_t vigil_run_forward(const uint8_t *p, size_t count, vigil_mask16 mask16, vigil_in_class in) {
  size_t offset = 0;
#if defined(__SSE2__)
  while (offset + 16 <= count) {
    unsigned mask = mask16(p + offset);
    if (mask != 0xFFFF) return offset + (size_t)__builtin_ctz(~mask & 0xFFFF);
    offset += 16;
  }
#endif
  while (offset < count && in(p[offset])) offset++;
  return offset;
}

// The first run of at least `least` bytes of the class (1 to 64) in the `count` bytes
// from `p`, where the byte before `p` is not in it (or there is none): its offset from
// `p`, its length in `*length`; `count` if there is none. Sixty-four bytes at a time,
// one bit each: a run of `least` is `least` bits set in a row, found with a few shifts.
static inline size_t vigil_next_run(const uint8_t *p, size_t count, size_t least, size_t *length,
                                    vigil_mask16 mask16, vigil_in_class in) {
  size_t block = 0;
  size_t carry = 0;  // bytes of the class just before `block`, back to one that is not
#if defined(__SSE2__)
  while (block + 64 <= count) {
    uint64_t set = (uint64_t)mask16(p + block) | (uint64_t)mask16(p + block + 16) << 16 |
                   (uint64_t)mask16(p + block + 32) << 32 | (uint64_t)mask16(p + block + 48) << 48;
    size_t lead = set == ~(uint64_t)0 ? 64 : (size_t)__builtin_ctzll(~set);
    if (carry + lead >= least) {
      size_t start = block - carry;
      *length = vigil_run_forward(p + start, count - start, mask16, in);
      return start;
    }
    // The run at the block's start is too short: not part of what is looked for.
    uint64_t runs = lead == 0 ? set : set & ~(((uint64_t)1 << lead) - 1);
    // Bit i stays set where bits i to i + least - 1 are all set.
    size_t width = 1;
    while (width * 2 <= least) {
      runs &= runs >> width;
      width *= 2;
    }
    if (least > width) runs &= runs >> (least - width);
    if (runs != 0) {
      size_t start = block + (size_t)__builtin_ctzll(runs);
      *length = vigil_run_forward(p + start, count - start, mask16, in);
      return start;
    }
    carry = (size_t)__builtin_clzll(~set);
    block += 64;
  }
#endif
  size_t start = block - carry;
  for (size_t index = block; index < count; index++) {
    if (in(p[index])) continue;
    if (index - start >= least) {
      *length = index - start;
      return start;
    }
    start = index + 1;
  }
  if (count - start >= least) {
    *length = count - start;
    return start;
  }
  *length = 0;
  return count;
}

#if defined(__SSE2__)
#define VIGIL_MASK16(name) name
#else
#define VIGIL_MASK16(name) 0
#endif

// How many of the `count` bytes from `p` on are base64 before the first that is not.
static inline size_t vigil_base64_run_forward(const uint8_t *p, size_t count) {
  return vigil_run_forward(p, count, VIGIL_MASK16(vigil_base64_mask16), vigil_is_base64_byte);
}

// The first run of at least `least` base64 bytes, as vigil_next_run.
static inline size_t vigil_base64_next_run(const uint8_t *p, size_t count, size_t least, size_t *length) {
  return vigil_next_run(p, count, least, length, VIGIL_MASK16(vigil_base64_mask16), vigil_is_base64_byte);
}

// The first run of at least `least` text bytes, as vigil_next_run.
static inline size_t vigil_text_next_run(const uint8_t *p, size_t count, size_t least, size_t *length) {
  return vigil_next_run(p, count, least, length, VIGIL_MASK16(vigil_text_mask16), vigil_is_text_byte);
}

// The first run of at least `least` (8 or more) characters of text in UTF-16LE (`width`
// 2: a text byte, then a NUL: how Windows programs and .NET assemblies keep their
// strings) or UTF-32LE (`width` 4: a text byte, then three NULs) in the `count` bytes
// from `p`: its offset from `p`, its length in bytes in `*length`; `count` if there is
// none. Sixty-four bytes at a time, 64 - 8 * width apart, so that the bytes of any 8
// characters lie whole in one window: a bit per byte where a text byte is followed by
// width - 1 NULs, then 8 such bits `width` apart.
static inline int vigil_is_wide_char(const uint8_t *p, size_t width) {
  if (!vigil_is_text_byte(p[0])) return 0;
  for (size_t index = 1; index < width; index++)
    if (p[index] != 0) return 0;
  return 1;
}

static inline size_t vigil_wide_next_run(const uint8_t *p, size_t count, size_t least, size_t width,
                                         size_t *length) {
  size_t start = 0;
#if defined(__SSE2__)
  while (least >= 8 && (width == 2 || width == 4) && start + 64 <= count) {
    size_t step = 64 - 8 * width;
    __m128i v[4];
    for (int part = 0; part < 4; part++) v[part] = _mm_loadu_si128((const __m128i *)(p + start + 16 * part));
    // Compressed data, most of an image, has one NUL in 256 bytes: most windows have
    // none, told by their smallest byte, and start no run.
    __m128i least_byte = _mm_min_epu8(_mm_min_epu8(v[0], v[1]), _mm_min_epu8(v[2], v[3]));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(least_byte, _mm_setzero_si128())) == 0) {
      start += step;
      continue;
    }
    // Bit i: a character of `width` bytes at i has its NULs; then 8 such in a row.
    uint64_t zero = 0;
    for (int part = 0; part < 4; part++)
      zero |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v[part], _mm_setzero_si128())) << (16 * part);
    uint64_t runs = ~(uint64_t)0;
    for (size_t shift = 1; shift < width; shift++) runs &= zero >> shift;
    runs &= runs >> width;
    runs &= runs >> (2 * width);
    runs &= runs >> (4 * width);
    runs &= (1ull << step) - 1;  // starts in the first `step` bytes
    // Only then the text bytes (a program's windows have NULs, seldom in that order).
    if (runs != 0) {
      uint64_t text = 0;
      for (int part = 0; part < 4; part++) text |= (uint64_t)vigil_text_mask16(p + start + 16 * part) << (16 * part);
      text &= text >> width;
      text &= text >> (2 * width);
      text &= text >> (4 * width);
      runs &= text;
    }
    if (runs != 0) {
      start += (size_t)__builtin_ctzll(runs);
      goto found;
    }
    start += step;
  }
#endif
  for (; start + width * least <= count; start++) {
    size_t characters = 0;
    while (characters < least && vigil_is_wide_char(p + start + width * characters, width)) characters++;
    if (characters == least) goto found;
  }
  *length = 0;
  return count;
found : {
  size_t end = start;
  while (end + width <= count && vigil_is_wide_char(p + end, width)) end += width;
  *length = end - start;
  return start;
}
}

// Whether the UTF-8 text of `count` bytes from `p` has `least` characters in a row that
// are three bytes long and whose code point's two bytes are both text bytes: what git
// keeps of an ASCII file whose `working-tree-encoding` is UTF-16 (each two bytes one
// CJK-looking character). Sixteen bytes at a time past those that lead no such character.
static inline int vigil_has_utf16_text_run(const uint8_t *p, size_t count, size_t least) {
  size_t index = 0;
  size_t run = 0;
  while (index < count) {
#if defined(__SSE2__)
    if (run == 0) {
      while (index + 16 <= count) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + index));
        // Lead bytes E0 to E7: the three-byte characters up to U+7FFF.
        __m128i lead = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xF8)), _mm_set1_epi8((char)0xE0));
        int mask = _mm_movemask_epi8(lead);
        if (mask != 0) {
          index += (size_t)__builtin_ctz((unsigned)mask);
          break;
        }
        index += 16;
      }
      if (index >= count) break;
    }
#endif
    uint8_t lead = p[index];
    if ((lead & 0xF8) == 0xE0 && index + 2 < count && (p[index + 1] & 0xC0) == 0x80 &&
        (p[index + 2] & 0xC0) == 0x80) {
      unsigned point = (unsigned)(lead & 0x0F) << 12 | (unsigned)(p[index + 1] & 0x3F) << 6 | (p[index + 2] & 0x3F);
      if (vigil_is_text_byte((uint8_t)(point & 0xFF)) && vigil_is_text_byte((uint8_t)(point >> 8))) {
        if (++run >= least) return 1;
        index += 3;
        continue;
      }
    }
    run = 0;
    index++;
  }
  return 0;
}

// How many of the `count` bytes from `p` are control bytes: below 0x20 but tab, LF and
// CR, and DEL. Bytes from 0x80 up (UTF-8) are not. The count stops once it passes
// `enough` (the answer is then some number above it): an image is known for a program's
// after a few kilobytes, not read to its end.
static inline size_t vigil_count_control(const uint8_t *p, size_t count, size_t enough) {
  size_t found = 0;
  size_t offset = 0;
#if defined(__SSE2__)
  while (offset + 16 <= count && found <= enough) {
    // Up to 255 blocks of 16 bytes counted in byte lanes (a control byte's lane is -1),
    // then summed: no popcount per block.
    __m128i lanes = _mm_setzero_si128();
    for (int block = 0; block < 255 && offset + 16 <= count; block++, offset += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(p + offset));
      // Below 0x20 (unsigned): v + 0x80 < 0xA0 as signed bytes.
      __m128i low =
          _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)0x80)), _mm_set1_epi8((char)(0x80 + 0x20)));
      __m128i blanks = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
          _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
      __m128i control = _mm_or_si128(_mm_andnot_si128(blanks, low), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
      lanes = _mm_sub_epi8(lanes, control);
    }
    __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    found += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
  }
#endif
  for (; offset < count && found <= enough; offset++) {
    uint8_t b = p[offset];
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) found++;
  }
  return found;
}

#endif
