//! `cargo xtask bench music`: CPU per concurrent stream of a local file, and how many streams one
//! core sustains without late packets.
//!
//! N guilds, one songbird 0.6.1 `Driver` each, all on one shared songbird `Scheduler`, loop the
//! committed test file (`assets/tone-440hz-1500ms.wav`: songbird decodes it with symphonia and
//! encodes Opus) to the simulator's voice server over loopback (real TLS voice gateway, real UDP,
//! AES-256-GCM). The bot side (this process's main thread, its tokio runtime and songbird's mixer
//! threads) is pinned to CPU 0; the simulator runs on its own runtime pinned to CPU 1 and only
//! decrypts and timestamps (no Opus decoding), and its CPU time is subtracted from the process's
//! (getrusage) so the figure is the senders' cost. A packet is late when it arrives more than
//! `--late-ms` after its 20 ms slot (slot clock: its RTP timestamp).
//!
//! Arguments: `--streams 10,25,50,100,150` `--seconds 10` `--late-ms 20` `--no-pin`, `--no-move`
//! (songbird's `move_expensive_tasks` off).

use discord_sim::{world::channel_kind, SimConfig, Simulator, World};
use songbird::driver::{Driver, Scheduler, SchedulerConfig};
use songbird::input::File;
use songbird::tracks::{LoopState, Track};
use songbird::{Config, ConnectionInfo};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker},
    Id,
};

type Error = Box<dyn std::error::Error>;
/// A guild and its voice channel.
type Place = (Id<GuildMarker>, Id<ChannelMarker>);

struct Args {
    streams: Vec<usize>,
    seconds: u64,
    late_ms: u64,
    pin: bool,
    /// songbird's `move_expensive_tasks` (on by default).
    move_tasks: bool,
}

fn parse_args() -> Result<Args, Error> {
    let mut args = Args {
        streams: vec![10, 25, 50, 100, 150],
        seconds: 10,
        late_ms: 20,
        pin: true,
        move_tasks: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--streams" => {
                let list = it.next().ok_or("--streams needs a list, e.g. 10,50,100")?;
                args.streams = list
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--streams {list}: {e}"))?;
            }
            "--seconds" => {
                args.seconds = it.next().ok_or("--seconds needs a number")?.parse()?;
            }
            "--late-ms" => {
                args.late_ms = it.next().ok_or("--late-ms needs a number")?.parse()?;
            }
            "--no-pin" => args.pin = false,
            "--no-move" => args.move_tasks = false,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(args)
}

/// Pins the calling thread to `cpu` (threads it creates inherit this).
fn pin(cpu: usize) -> Result<(), Error> {
    // SAFETY: `set` is a plain bitmask on the stack, sized as the call is told.
    let rc = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!(
            "sched_setaffinity(cpu {cpu}): {}",
            std::io::Error::last_os_error()
        )
        .into())
    }
}

/// The process's user + system CPU time (getrusage).
fn process_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time of the given threads of this process (`/proc/self/task/<tid>/schedstat`).
fn threads_cpu(tids: &[i32]) -> Duration {
    tids.iter()
        .filter_map(|tid| std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .sum()
}

fn tone_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/tone-440hz-1500ms.wav")
}

fn world(guilds: usize) -> (World, Vec<Place>) {
    let mut w = World::new("Arsenal", "Arsenal", "owner");
    let owner = w.owner_id();
    let ids = (0..guilds)
        .map(|i| {
            let guild = w.add_guild(&format!("music {i}"), owner);
            let channel = w.add_channel(guild, "Music", channel_kind::GUILD_VOICE, None);
            (guild, channel)
        })
        .collect();
    (w, ids)
}

struct Row {
    streams: usize,
    expected: u64,
    packets: u64,
    late: u64,
    max_late: Duration,
    gaps: u64,
    decrypt_failures: u64,
    bot_cpu: Duration,
    sim_cpu: Duration,
    seconds: f64,
}

fn main() -> Result<(), Error> {
    let args = parse_args()?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let pin_sim = args.pin && cpus >= 2;
    if args.pin {
        pin(0)?;
    }
    let sim_tids = Arc::new(Mutex::new(Vec::<i32>::new()));
    let tids = Arc::clone(&sim_tids);
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .on_thread_start(move || {
            if pin_sim {
                let _ = pin(1);
            }
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            tids.lock().unwrap_or_else(|e| e.into_inner()).push(tid);
        })
        .build()?;
    let bot_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;

    let most = args.streams.iter().copied().max().unwrap_or(0);
    let (world, ids) = world(most);
    let sim = sim_rt.block_on(Simulator::start(SimConfig {
        world,
        ..SimConfig::default()
    }))?;
    let voice = sim.voice();
    std::env::set_var("SSL_CERT_FILE", voice.ca_file());
    voice.set_decode(false);
    voice.set_late_after(Duration::from_millis(args.late_ms));

    println!(
        "songbird 0.6.1, {} s per step, late = more than {} ms behind its 20 ms slot, bot pinned: {}, simulator pinned to another core: {pin_sim}, move_expensive_tasks: {}",
        args.seconds, args.late_ms, args.pin, args.move_tasks
    );
    println!();
    println!("| streams | packets received / expected | late packets | worst lateness | sequence gaps | bot CPU (% of one core) | CPU per stream (% of one core) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut rows = Vec::new();
    for &n in &args.streams {
        let row = bot_rt.block_on(step(&sim, &ids[..n], &args, &sim_tids))?;
        let per_stream = row.bot_cpu.as_secs_f64() / row.seconds / n as f64 * 100.0;
        println!(
            "| {} | {} / {} | {} | {:.1} ms | {} | {:.1} % | {:.2} % |",
            row.streams,
            row.packets,
            row.expected,
            row.late,
            row.max_late.as_secs_f64() * 1000.0,
            row.gaps,
            row.bot_cpu.as_secs_f64() / row.seconds * 100.0,
            per_stream
        );
        if row.decrypt_failures > 0 {
            println!("  ({} packets failed to decrypt)", row.decrypt_failures);
        }
        eprintln!(
            "  simulator CPU (excluded): {:.1} % of one core",
            row.sim_cpu.as_secs_f64() / row.seconds * 100.0
        );
        rows.push(row);
    }
    let sustained = rows
        .iter()
        .filter(|r| r.late == 0 && r.packets * 100 >= r.expected * 99)
        .map(|r| r.streams)
        .max();
    println!();
    match sustained {
        Some(n) => println!("Most streams with no late packet (and ≥ 99 % delivered): {n}"),
        None => println!("Every step had late packets"),
    }
    sim_rt.block_on(sim.shutdown());
    Ok(())
}

/// Runs `guilds.len()` looping streams for the measured period and returns the figures.
async fn step(
    sim: &Simulator,
    guilds: &[Place],
    args: &Args,
    sim_tids: &Mutex<Vec<i32>>,
) -> Result<Row, Error> {
    let voice = sim.voice();
    let mut config = SchedulerConfig::default();
    config.move_expensive_tasks = args.move_tasks;
    let scheduler = Scheduler::new(config);
    let mut drivers = Vec::with_capacity(guilds.len());
    for &(guild, channel) in guilds {
        let grant = sim.bot_joins_voice(guild, channel)?;
        let mut driver = Driver::new(Config::default().scheduler(scheduler.clone()));
        driver
            .connect(ConnectionInfo {
                channel_id: channel.into_nonzero().into(),
                endpoint: grant.endpoint,
                guild_id: guild.into_nonzero().into(),
                session_id: grant.session_id,
                token: grant.token,
                user_id: grant.user_id.into_nonzero().into(),
            })
            .await?;
        driver.play(Track::from(File::new(tone_file())).loops(LoopState::Infinite));
        drivers.push(driver);
    }
    // Let every stream start (file opened, first packets out) before measuring.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for &(guild, _) in guilds {
        voice.reset(guild);
    }
    let tids = sim_tids.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let (cpu0, sim0, t0) = (process_cpu(), threads_cpu(&tids), Instant::now());
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    let (cpu1, sim1, seconds) = (
        process_cpu(),
        threads_cpu(&tids),
        t0.elapsed().as_secs_f64(),
    );
    let mut row = Row {
        streams: guilds.len(),
        expected: (seconds * 50.0) as u64 * guilds.len() as u64,
        packets: 0,
        late: 0,
        max_late: Duration::ZERO,
        gaps: 0,
        decrypt_failures: 0,
        bot_cpu: (cpu1 - cpu0).saturating_sub(sim1 - sim0),
        sim_cpu: sim1 - sim0,
        seconds,
    };
    for &(guild, _) in guilds {
        if let Some(r) = voice.received(guild) {
            row.packets += r.packets;
            row.late += r.late_packets;
            row.max_late = row.max_late.max(r.max_lateness);
            row.gaps += r.sequence_gaps;
            row.decrypt_failures += r.decrypt_failures;
        }
    }
    for mut driver in drivers {
        driver.leave();
    }
    for &(guild, _) in guilds {
        voice.reset(guild);
    }
    // Give the mixers a moment to wind down before the next step's measurement.
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(row)
}
