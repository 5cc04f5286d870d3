//! The gateway: a WebSocket server speaking Discord's gateway protocol (v10, JSON text frames,
//! no compression: twilight passes text frames straight to its parser).

mod connection;
pub(crate) mod hub;

pub use hub::{ObservedEvent, ShardStats};

use crate::Shared;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Accepts gateway connections until the simulator shuts down.
pub(crate) async fn run(listener: TcpListener, shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection::serve(stream, Arc::clone(&shared)));
            }
            _ = shutdown.changed() => break,
        }
    }
}
