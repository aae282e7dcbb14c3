#!/bin/sh
# gen-bench-tree.sh: builds the synthetic trees scripts/bench.sh times, from
# the reference data in ../shared (or $MC_SHARED).  Nothing here is a test
# fixture: the trees are large, throw-away, and built in a few seconds.
#
#   scripts/gen-bench-tree.sh KIND N DIR
#
# KIND:
#   cards     N card-only model folders DIR/<i>/README.md, the 2,000 cards of
#             corpus/cards-dev repeated in name order
#   configs   N folders DIR/<i>/config.json only: models the walker finds
#             without a card to read (walking cost alone)
#   hfcache   N Hugging Face cache folders DIR/models--bench--m<i> (refs/main,
#             blobs/, snapshots/<rev>/ with README.md and config.json as
#             symlinks into blobs/); the cards repeated
#   ckpt      N checkpoint folders DIR/<i> (config.json and a small valid
#             model.safetensors with license metadata; every 4th folder also
#             a LICENSE text) plus N/4 standalone DIR/gguf/<i>.gguf files
#   repos     N git repositories, half work trees DIR/git/<i>, half bare
#             DIR/bare/<i>.git, each with one LICENSE text of licenses/ and
#             a short card, origin https://huggingface.co/bench/repo-<i>
#
# repos: one source repository per license text is made with git (init, add,
# commit); the N repositories are then plain file copies of those made by
# one perl process, with the origin URL rewritten in each copy's config (and
# core.bare = true in the bare copies, git's own way of making a bare
# repository from a .git folder).  That keeps 10,000 repositories to about
# half a minute instead of tens of thousands of git processes.
#
# Needs perl (Debian's perl-base is always there) and, for repos, git.
set -eu

usage() {
	echo "usage: gen-bench-tree.sh cards|configs|hfcache|ckpt|repos N DIR" >&2
	exit 2
}
[ $# -eq 3 ] || usage
kind=$1 n=$2 dir=$3
case $n in '' | *[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
shared=${MC_SHARED:-$here/../../shared}
cards=$shared/corpus/cards-dev
licenses=$shared/licenses
[ -d "$cards" ] && [ -d "$licenses" ] || {
	echo "gen-bench-tree: reference data not found at $shared (set MC_SHARED)" >&2
	exit 1
}
command -v perl >/dev/null || { echo "gen-bench-tree: perl is needed" >&2; exit 1; }
mkdir -p "$dir"

# One perl program for every kind: it reads the sources once and writes the
# tree without a process per file.
gen() {
	perl -w - "$@" <<'PERL'
use strict;
use Digest::SHA qw(sha1_hex sha256_hex);

my ($kind, $n, $dir, $src) = @ARGV;

sub slurp { my ($p) = @_; open(my $f, '<:raw', $p) or die "$p: $!\n"; local $/; my $d = <$f>; close $f; return $d; }
sub spit {
	my ($p, $d) = @_;
	open(my $f, '>:raw', $p) or die "$p: $!\n";
	print $f $d or die "$p: $!\n";
	close $f or die "$p: $!\n";
}
sub mkd { my ($p) = @_; mkdir $p or $!{EEXIST} or die "$p: $!\n"; }
sub files_in {
	my ($d, $re) = @_;
	opendir(my $h, $d) or die "$d: $!\n";
	my @f = sort grep { /$re/ && -f "$d/$_" } readdir $h;
	closedir $h;
	return map { "$d/$_" } @f;
}
# copy a folder of plain files and folders, keeping file modes
sub copytree {
	my ($s, $d) = @_;
	mkd($d);
	opendir(my $h, $s) or die "$s: $!\n";
	for my $e (readdir $h) {
		next if $e eq '.' || $e eq '..';
		if (-d "$s/$e") { copytree("$s/$e", "$d/$e"); next; }
		spit("$d/$e", slurp("$s/$e"));
		chmod((stat "$s/$e")[2] & 07777, "$d/$e");
	}
	closedir $h;
}
# safetensors: 8-byte little-endian header length, JSON header, tensor data
sub safetensors {
	my ($license) = @_;
	my $h = '{"__metadata__":{"format":"pt","license":"' . $license . '"},'
	      . '"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
	return pack('Q<', length $h) . $h . ("\0" x 8);
}
# GGUF v3 with string key/values only (value type 8)
sub gguf {
	my (%kv) = @_;
	my $d = 'GGUF' . pack('L<', 3) . pack('Q<', 0) . pack('Q<', scalar keys %kv);
	for my $k (sort keys %kv) {
		$d .= pack('Q<', length $k) . $k . pack('L<', 8) . pack('Q<', length $kv{$k}) . $kv{$k};
	}
	return $d;
}

my @cards = $kind =~ /^(cards|hfcache)$/ ? map { slurp($_) } files_in("$src/corpus/cards-dev", qr/\.md$/) : ();
my @lic = $kind eq 'ckpt' ? map { slurp($_) } (files_in("$src/licenses/spdx", qr/\.txt$/),
					       files_in("$src/licenses/ai", qr/\.txt$/)) : ();
my @spdx = qw(apache-2.0 mit bsd-3-clause cc-by-4.0 cc-by-nc-4.0 openrail gpl-3.0 llama2);

if ($kind eq 'cards') {
	for my $i (0 .. $n - 1) {
		mkd("$dir/$i");
		spit("$dir/$i/README.md", $cards[$i % @cards]);
	}
} elsif ($kind eq 'configs') {
	for my $i (0 .. $n - 1) {
		mkd("$dir/$i");
		spit("$dir/$i/config.json", qq({"architectures": ["BertModel"], "model_type": "bert"}\n));
	}
} elsif ($kind eq 'hfcache') {
	my $config = qq({"architectures": ["BertModel"], "model_type": "bert"}\n);
	for my $i (0 .. $n - 1) {
		my $m = "$dir/models--bench--m$i";
		my $rev = sha1_hex("rev $i");
		my $card = $cards[$i % @cards];
		my ($cb, $fb) = (sha256_hex($card), sha256_hex($config));
		mkd($m); mkd("$m/blobs"); mkd("$m/refs"); mkd("$m/snapshots"); mkd("$m/snapshots/$rev");
		spit("$m/refs/main", $rev);
		spit("$m/blobs/$cb", $card);
		spit("$m/blobs/$fb", $config);
		symlink("../../blobs/$cb", "$m/snapshots/$rev/README.md") or die "$m: $!\n";
		symlink("../../blobs/$fb", "$m/snapshots/$rev/config.json") or die "$m: $!\n";
	}
} elsif ($kind eq 'ckpt') {
	mkd("$dir/gguf");
	for my $i (0 .. $n - 1) {
		my $license = $spdx[$i % @spdx];
		mkd("$dir/$i");
		spit("$dir/$i/config.json", qq({"architectures": ["LlamaForCausalLM"], "model_type": "llama"}\n));
		spit("$dir/$i/model.safetensors", safetensors($license));
		spit("$dir/$i/LICENSE", $lic[$i % @lic]) if $i % 4 == 0;
	}
	for my $i (0 .. int($n / 4) - 1) {
		spit("$dir/gguf/$i.gguf", gguf('general.license' => $spdx[$i % @spdx],
						'general.name' => "bench $i",
						'general.source.url' => "https://huggingface.co/bench/gguf-$i"));
	}
} elsif ($kind eq 'repos') {
	# $src here is the folder of template work trees t/<k>, made by git
	opendir(my $h, $src) or die "$src: $!\n";
	my @t = sort { $a <=> $b } grep { /^\d+$/ } readdir $h;
	closedir $h;
	mkd("$dir/git"); mkd("$dir/bare");
	for my $i (0 .. $n - 1) {
		my $t = "$src/" . $t[int($i / 2) % @t];
		my ($gitdir, $url) = ("", "https://huggingface.co/bench/repo-$i");
		if ($i % 2 == 0) {
			copytree($t, "$dir/git/$i");
			$gitdir = "$dir/git/$i/.git";
		} else {
			copytree("$t/.git", "$dir/bare/$i.git");
			$gitdir = "$dir/bare/$i.git";
		}
		my $c = slurp("$gitdir/config");
		$c =~ s{https://huggingface\.co/bench/TEMPLATE}{$url} or die "$gitdir/config: no origin\n";
		$c =~ s{bare = false}{bare = true} if $i % 2;
		chmod(0644, "$gitdir/config");
		spit("$gitdir/config", $c);
	}
} else {
	die "unknown kind $kind\n";
}
PERL
}

case $kind in
cards | configs | hfcache | ckpt)
	gen "$kind" "$n" "$dir" "$shared"
	;;
repos)
	command -v git >/dev/null || { echo "gen-bench-tree: git is needed" >&2; exit 1; }
	# one template repository per license text (fewer when N is small)
	t=$dir/.templates
	rm -rf "$t"
	mkdir -p "$t" "$dir/.home"
	export GIT_CONFIG_NOSYSTEM=1 HOME="$dir/.home"
	export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
	export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
	export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
	k=0
	for f in "$licenses"/spdx/*.txt "$licenses"/ai/*.txt; do
		[ $k -lt "$n" ] || break
		d=$t/$k
		mkdir -p "$d"
		cp "$f" "$d/LICENSE"
		printf -- '---\nlibrary_name: transformers\ntags:\n- bench\n---\n\n# %s\n' \
			"$(basename "$f" .txt)" >"$d/README.md"
		git init -q -b main --template= "$d"
		git -C "$d" add LICENSE README.md
		git -C "$d" commit -q -m "add $(basename "$f")"
		git -C "$d" remote add origin https://huggingface.co/bench/TEMPLATE
		k=$((k + 1))
	done
	gen repos "$n" "$dir" "$t"
	rm -rf "$t" "$dir/.home"
	;;
*)
	usage
	;;
esac
