#ifndef VIGIL_CVECTORSCAN_SHIM_H
#define VIGIL_CVECTORSCAN_SHIM_H

// Vectorscan (the portable fork of Intel's Hyperscan), from Debian's libvectorscan-dev.
#include <hs/hs.h>

#endif
