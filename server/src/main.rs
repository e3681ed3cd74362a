fn main() -> std::process::ExitCode {
    recheck_server::cli::main()
}
