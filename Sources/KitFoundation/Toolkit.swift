/// Facts about this build of the toolkit, written into result files.
public enum Toolkit {
    public static let version = "0.1.0"
}
