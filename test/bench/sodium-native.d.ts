// The few sodium-native (native libsodium) calls the crypto baseline uses; the package ships no types.
declare module 'sodium-native' {
  type B = Buffer
  const sodium: {
    crypto_hash_sha256_STATEBYTES: number
    crypto_box_keypair(pk: B, sk: B): void
    crypto_sign_keypair(pk: B, sk: B): void
    crypto_sign_detached(sig: B, m: B, sk: B): void
    crypto_sign_verify_detached(sig: B, m: B, pk: B): boolean
    crypto_box_seal(c: B, m: B, pk: B): void
    crypto_box_seal_open(m: B, c: B, pk: B, sk: B): boolean
    crypto_secretbox_easy(c: B, m: B, n: B, k: B): void
    crypto_hash_sha256_init(state: B): void
    crypto_hash_sha256_update(state: B, m: B): void
    crypto_hash_sha256_final(state: B, out: B): void
  }
  export default sodium
}
