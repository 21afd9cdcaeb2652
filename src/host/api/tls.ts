/**
 * The API's serving certificate: a self-signed certificate for 127.0.0.1 and localhost, made
 * when the server starts. kubectl sends bearer tokens only over TLS; the kubeconfig carries the
 * certificate as its certificate authority, so clients verify the server as they would a real one.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServingCertificate {
  key: string;
  cert: string;
}

export function selfSignedCertificate(): ServingCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial number (the high bit clear), as X.509 wants.
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 3600_000);
  const name = [{ name: 'commonName', value: 'kubelab-apiserver' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}
