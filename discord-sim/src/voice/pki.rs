//! The voice gateway's TLS identity: a test CA made with rcgen once per process, and a
//! certificate it signs for `localhost` and `127.0.0.1`.
//!
//! songbird dials `wss://{endpoint}` and (with its `tws` + `rustls` features) trusts the system
//! root store as rustls-native-certs loads it, which honours `SSL_CERT_FILE`. One CA per process
//! (not per simulator) because `SSL_CERT_FILE` is process-wide: tests running in parallel, each
//! with its own simulator, must all trust every simulator's voice server.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The process's test CA and the server certificate it issued.
pub(crate) struct TestPki {
    /// Where the CA's PEM was written (point `SSL_CERT_FILE` here).
    pub ca_file: PathBuf,
    /// The server configuration every voice gateway of this process uses.
    pub server_config: Arc<rustls::ServerConfig>,
}

/// The process's test PKI, made on first use.
///
/// # Errors
///
/// Certificate generation or writing the CA file failed (the message says which).
pub(crate) fn get() -> Result<&'static TestPki, String> {
    static PKI: OnceLock<Result<TestPki, String>> = OnceLock::new();
    PKI.get_or_init(make).as_ref().map_err(Clone::clone)
}

fn make() -> Result<TestPki, String> {
    let ca_key = KeyPair::generate().map_err(|e| format!("test CA key: {e}"))?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())
        .map_err(|e| format!("test CA parameters: {e}"))?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "discord-sim test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .map_err(|e| format!("test CA certificate: {e}"))?;
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().map_err(|e| format!("voice server key: {e}"))?;
    let mut leaf_params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .map_err(|e| format!("voice server certificate parameters: {e}"))?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "discord-sim voice");
    let leaf_cert = leaf_params
        .signed_by(&leaf_key, &issuer)
        .map_err(|e| format!("voice server certificate: {e}"))?;

    let ca_file =
        std::env::temp_dir().join(format!("discord-sim-voice-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, ca_cert.pem())
        .map_err(|e| format!("writing the test CA to {}: {e}", ca_file.display()))?;

    let chain = vec![
        CertificateDer::from(leaf_cert.der().to_vec()),
        CertificateDer::from(ca_cert.der().to_vec()),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let server_config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS versions: {e}"))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|e| format!("TLS server certificate: {e}"))?;
    Ok(TestPki {
        ca_file,
        server_config: Arc::new(server_config),
    })
}
