"""Seeds for the FuzzLexers target: one snippet per lexed language, behind the byte that
picks it (its index in LexerRegistry.languages), with the constructs its lexer knows.

    python3 Fuzz/lexer-seeds.py DIR
"""

import os
import sys

SNIPPETS = [
    # Rust
    "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { x.unwrap(); }\n}\n"
    "fn main() { let s = r#\"a \"} b\"#; let c = '}'; /* /* } */ */ f::<'a>(); }\n",
    # Python
    "q = \"a # b\"  # c\ns = '''x\n# y\n'''\n",
    # JavaScript/TypeScript
    "const r = /\\/\\//g; // c\nconst t = `a\n${b} // d`; x = y / 2;\n",
    # Go
    "q := `a\n// b` // c\ns := \"\\\"\" /* d */\n",
    # Java/Groovy
    "String q = \"\"\"\n a // b\n\"\"\"; /* /* c */ d();\n",
    # Kotlin/Scala
    "val q = \"\"\"\n a // b\n\"\"\"; /* /* c */ */\n",
    # C#
    "var p = @\"C:\\\"; var q = $\"{x}\"; // c\n",
    # PHP
    "<?php # a\n$s = <<<SQL\nSELECT # b\nSQL;\n",
    # Ruby
    "=begin\nx\n=end\ns = <<~SQL\n  a # b\nSQL\n\"#{c}\" # d\n",
    # Swift
    "let r = #\"a \\\" b\"#\n/* a /* b */ c */ let q = \"\"\"\nd\n\"\"\"\n",
    # Shell and configuration
    "url: http://h/#f  # c\ncat <<'END'\nx\nEND\n",
    # INI
    "; a\nk = v ; b\n",
    # HCL/Terraform
    "# a\np = <<EOT\n# b\nEOT\n// c\n",
    # XML/HTML
    "<a><!-- b --><c/></a>\n",
]

for index, text in enumerate(SNIPPETS):
    with open(os.path.join(sys.argv[1], "seed-%d" % index), "wb") as handle:
        handle.write(bytes([index]) + text.encode())
