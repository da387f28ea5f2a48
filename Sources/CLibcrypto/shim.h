// OpenSSL's libcrypto (Debian's libssl-dev), for SHA-256 only: the EVP digest API,
// which OpenSSL 3 does not deprecate.
#include <openssl/evp.h>
