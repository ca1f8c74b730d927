#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
// zlib's gz* streaming API, for reading .gz logs line by line.
#include <zlib.h>
#endif
