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

// EVP_EC_gen is a variadic macro: a fresh EC P-256 key pair, or NULL.
static inline EVP_PKEY *cmqttlab_generate_p256_key(void) { return EVP_EC_gen("P-256"); }

// The subjectAltName list is a STACK_OF(GENERAL_NAME), whose accessors are macros.
static inline int cmqttlab_general_names_count(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline GENERAL_NAME *cmqttlab_general_names_value(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}
// A DNS name or an IP address (raw 4 or 16 bytes) of one GENERAL_NAME, or NULL for any other kind.
static inline const ASN1_STRING *cmqttlab_general_name_dns(const GENERAL_NAME *name) {
    return name->type == GEN_DNS ? name->d.dNSName : NULL;
}
static inline const ASN1_STRING *cmqttlab_general_name_ip(const GENERAL_NAME *name) {
    return name->type == GEN_IPADD ? name->d.iPAddress : NULL;
}

#endif
