// The system OpenSSL's libcrypto (Debian: libssl-dev), for password hashes compatible with
// mosquitto_passwd and for the teaching CA's keys and certificates. Only libcrypto is linked: TLS itself
// is swift-nio-ssl's (its BoringSSL symbols are prefixed, so the two never clash).
#ifndef CMQTTLAB_CRYPTO_SHIM_H
#define CMQTTLAB_CRYPTO_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// Macros Swift cannot import, as functions.
static inline long cmqttlab_BIO_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

#endif
