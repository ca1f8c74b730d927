/// The release, shared by `warden --version`, the server and the language server.
public enum WardenInfo {
    public static let version = "0.23.0-dev"
}
