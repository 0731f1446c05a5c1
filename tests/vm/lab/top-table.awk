# A table of zdevtop -b's frames, read by its column headers (not by fixed offsets, which move whenever a
# column is added or widened). Run with LC_ALL=C: zdevtop pads cells with printf, by bytes.
#
#   LC_ALL=C awk -f top-table.awk -v frame=last|N -v header=REGEX -v columns="NAME NAME..." FILE
#
# frame: which frame (counted from 1 at each line starting "zdevtop "), "last" by default. header: a regex
# matching the table's header line (e.g. "^OWNER +DIRECTION "). columns: header names, space-separated.
# Prints one line per row of the table, its cells for the named columns separated by "|", trimmed.
#
# A row's words are given to the column whose header they overlap. A word under no header is part of the
# cell of the word next to it (one space apart): a name's tail (the "1" of "owner 1") joins a cell that starts
# where its header starts (left-aligned), a number before its unit (the "4.2" of "4.2 ms") one that ends
# where its header ends (right-aligned); failing both, the nearest header. The table ends at the next
# panel's title (upper-case words followed by two spaces), an empty line or the next frame.

# the words of LINE: their count; start, end (byte columns, from 1) and text in S, E, W
function words(line, S, E, W,    n, i, len, c, in_word) {
	n = 0; in_word = 0; len = length(line)
	for (i = 1; i <= len + 1; i++) {
		c = i <= len ? substr(line, i, 1) : " "
		if (c != " " && !in_word) { n++; S[n] = i; in_word = 1 }
		if (c == " " && in_word) { E[n] = i - 1; W[n] = substr(line, S[n], i - S[n]); in_word = 0 }
	}
	return n
}

function overlap(a1, a2, b1, b2,    lo, hi) {
	lo = a1 > b1 ? a1 : b1; hi = a2 < b2 ? a2 : b2
	return hi >= lo ? hi - lo + 1 : 0
}

function gap(a1, a2, b1, b2) {
	return a2 < b1 ? b1 - a2 : (b2 < a1 ? a1 - b2 : 0)
}

function nearest(i,    k, d, best, best_k) {
	best = -1; best_k = 1
	for (k = 1; k <= nh; k++) {
		d = gap(RS_[i], RE_[i], HS[k], HE[k])
		if (best < 0 || d < best) { best = d; best_k = k }
	}
	return best_k
}

function print_row(line,    n, i, k, o, best, to, left, right, cell, out, name) {
	n = words(line, RS_, RE_, RW_)
	for (i = 1; i <= n; i++) { # by overlap; left/right: the word sits where a left/right-aligned cell does
		best = 0; to[i] = 0
		for (k = 1; k <= nh; k++) {
			o = overlap(RS_[i], RE_[i], HS[k], HE[k])
			if (o > best) { best = o; to[i] = k }
		}
		left[i] = to[i] && RS_[i] == HS[to[i]]
		right[i] = to[i] && RE_[i] == HE[to[i]]
	}
	for (i = 2; i <= n; i++) # the tail of a left-aligned cell
		if (!to[i] && left[i - 1] && RS_[i] - RE_[i - 1] == 2) { to[i] = to[i - 1]; left[i] = 1 }
	for (i = n - 1; i >= 1; i--) # the head of a right-aligned cell
		if (!to[i] && right[i + 1] && RS_[i + 1] - RE_[i] == 2) { to[i] = to[i + 1]; right[i] = 1 }
	for (k = 1; k <= nh; k++) cell[k] = ""
	for (i = 1; i <= n; i++) {
		k = to[i] ? to[i] : nearest(i)
		cell[k] = cell[k] == "" ? RW_[i] : cell[k] " " RW_[i]
	}
	out = ""
	for (i = 1; i <= nc; i++) {
		name = want[i]
		out = out (i > 1 ? "|" : "") (name in col ? cell[col[name]] : "?")
	}
	print out
}

BEGIN {
	if (frame == "") frame = "last"
	nc = split(columns, want, " ")
}
/^zdevtop / { f++ }
{ lines[f, ++count[f]] = $0 }
END {
	target = frame == "last" ? f : frame + 0
	in_table = 0
	for (i = 1; i <= count[target]; i++) {
		line = lines[target, i]
		if (!in_table) {
			if (line ~ header) {
				nh = words(line, HS, HE, HW)
				for (k = 1; k <= nh; k++) col[HW[k]] = k
				for (k = 1; k <= nc; k++)
					if (!(want[k] in col)) { printf "top-table.awk: no column %s in '%s'\n", want[k], line > "/dev/stderr"; exit 2 }
				in_table = 1
			}
			continue
		}
		if (line == "" || line ~ /^[A-Z][A-Z0-9]*( [A-Z][A-Z0-9]*)*  / || line ~ /^zdevtop /) break
		print_row(line)
	}
}
