/** The app's version, injected at build time from package.json. */
declare const __APP_VERSION__: string;
/**
 * The Ed25519 release public key (PEM) that update signatures are checked against, built in by
 * scripts/build.mjs from build/release-public-key.pem; null when the build had none (then updates are off).
 */
declare const __RELEASE_PUBLIC_KEY__: string | null;
/**
 * The SM2 release public key (PEM, SubjectPublicKeyInfo on the SM2 curve), from build/release-public-key-sm2.pem;
 * null when the build had none (then a device whose profile is `sm` updates nothing).
 */
declare const __RELEASE_PUBLIC_KEY_SM2__: string | null;
