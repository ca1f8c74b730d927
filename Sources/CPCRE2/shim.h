#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
// pcre2.h refuses to compile without a code unit width, and cSettings never reach the Swift
// Clang importer, so the define has to live in this header. 8 = UTF-8; functions are pcre2_*_8.
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
// Cast macros are not imported by Swift: expose the sentinels as functions.
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }
static inline PCRE2_SIZE cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
#endif
