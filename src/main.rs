use clap::Parser;

fn main() {
    // Before any thread exists: reading the local UTC offset is only sound then.
    cockpit::clock::init_local_offset();
    if let Err(err) = color_eyre::install() {
        eprintln!("cockpit: {err}");
    }
    let cli = cockpit::cli::Cli::parse();
    if let Err(err) = cockpit::run::main(cli) {
        cockpit::tui::restore();
        // One line: what failed and where (a config file's line and key, a
        // path); not `eprintln!`, which panics when the terminal is gone.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "cockpit: {err}");
        std::process::exit(2);
    }
}
