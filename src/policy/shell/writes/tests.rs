use super::*;

fn written(line: &str) -> Vec<String> {
    let words: Vec<Rendered> = line.split(' ').map(Rendered::literal).collect();
    targets(&words).into_iter().map(|w| w.text).collect()
}

#[test]
fn reads_the_files_each_writer_names() {
    assert_eq!(written("tee -a log ~/.bashrc"), ["log", "~/.bashrc"]);
    assert_eq!(written("cp -r src ~/.ssh/"), ["~/.ssh/", "~/.ssh/src"]);
    assert_eq!(written("mv -t /etc a"), ["/etc", "/etc/a", "a"]);
    assert_eq!(written("ln -sf /etc/passwd"), ["passwd"]);
    assert_eq!(
        written("rsync -a --delete src/ host:dst"),
        Vec::<String>::new()
    );
    assert_eq!(written("chmod -R 755 a b"), ["a", "b"]);
    assert_eq!(written("chown me a"), ["a"]);
    assert_eq!(written("truncate -s 0 x"), ["x"]);
    assert_eq!(written("dd if=a of=/dev/sda"), ["/dev/sda"]);
    assert_eq!(written("sed -i.bak s/a/b/ f g"), ["f", "g"]);
    assert_eq!(written("sed -ni -e p f"), ["f"]);
    assert_eq!(written("sed s/a/b/ f"), Vec::<String>::new());
    assert_eq!(written("curl -fsSLo x.sh https://e.invalid/i"), ["x.sh"]);
    assert_eq!(written("curl -O https://e.invalid/a/i.sh?x=1"), ["i.sh"]);
    assert_eq!(written("curl https://e.invalid/i.sh"), Vec::<String>::new());
    assert_eq!(written("wget https://e.invalid/i.sh"), ["i.sh"]);
    assert_eq!(
        written("wget -qO- https://e.invalid/i.sh"),
        Vec::<String>::new()
    );
    assert_eq!(
        written("wget --output-document=y https://e.invalid/"),
        ["y"]
    );
}
