/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One body per hook, its twins generated. Every hook is a `static __always_inline` body taking a struct
 * zdev_hook; ZDEV_ENTRY / ZDEV_EXIT (and ZDEV_SLOT for the drivers' slots) declare around it the fentry and
 * kprobe programs (fexit and kretprobe for a return), of which user space loads the one its kernel allows.
 * The body reads its arguments with zdev_arg(hook, n) (zdev_arg_at where the position is known only at run
 * time), its return value with zdev_ret(hook) and how it was attached from hook.via: each generated program
 * hands a constant via, so the branch of the twin not taken compiles away and each program is what a
 * hand-written BPF_PROG / BPF_KPROBE would be.
 *
 * Program and section names are what user space finds the programs by ("<kind>_<stem>"): fentry_<stem>,
 * fexit_<stem>, kprobe_<stem>, kretprobe_<stem>, in "?fentry/<function>" and the like ("?": nothing loads
 * unless user space switches it on). The slots have no fixed function: user space names it at run time.
 */
#ifndef ZDEV_TWINS_BPF_H
#define ZDEV_TWINS_BPF_H

/* zdev_ret for a fexit whose function's count of arguments is not known when the object is built (a slot) */
#define ZDEV_NARGS_UNKNOWN 0xff

/* what a hook's body is handed (by value, to an always-inline body: it costs nothing at run time) */
struct zdev_hook {
	void *ctx;   /* ZDEV_VIA_FENTRY: the trampoline's array of u64 (the arguments, then the return value);
		      * ZDEV_VIA_KPROBE: the registers, struct pt_regs */
	__u8 via;    /* enum zdev_via: which twin is running */
	__u8 nargs;  /* fexit: the function's count of arguments, which is where its return value sits in ctx */
};

/* argument N (0-based, a constant) of the hooked function: what BPF_PROG reads as ctx[N] and BPF_KPROBE as
 * PT_REGS_PARM<N+1>. Only arguments passed in registers, the first five: another N does not compile. At
 * entry only: at a kretprobe the registers no longer hold them (an exit body keeps what it needs from its
 * entry, in a map). */
#define zdev_arg(hook, n) ___zdev_arg((hook), (n) + 0 * sizeof(char[(n) >= 0 && (n) < 5 ? 1 : -1]))

static __always_inline __u64 ___zdev_arg(struct zdev_hook hook, const int n)
{
	struct pt_regs *regs = hook.ctx;

	if (hook.via == ZDEV_VIA_FENTRY)
		return ((__u64 *)hook.ctx)[n];
	switch (n) {
	case 0: return PT_REGS_PARM1(regs);
	case 1: return PT_REGS_PARM2(regs);
	case 2: return PT_REGS_PARM3(regs);
	case 3: return PT_REGS_PARM4(regs);
	case 4: return PT_REGS_PARM5(regs);
	}
	return 0;
}

#define zdev_arg_ptr(hook, n) ((void *)(unsigned long)zdev_arg((hook), (n)))

/* argument POSITION (1-based; 0 or unreadable: MISSING) where the position is found at run time (the
 * drivers' slots, a prototype that changed): fentry reads it with bpf_get_func_arg, which checks it against
 * the count of arguments the kernel's prototype has; a kprobe reads the argument registers */
static __always_inline __u64 zdev_arg_at(struct zdev_hook hook, __u32 position, __u64 missing)
{
	struct pt_regs *regs = hook.ctx;
	__u64 value = 0;

	if (hook.via == ZDEV_VIA_FENTRY) {
		if (!position || bpf_get_func_arg(hook.ctx, position - 1, &value))
			return missing;
		return value;
	}
	switch (position) {
	case 1: return PT_REGS_PARM1(regs);
	case 2: return PT_REGS_PARM2(regs);
	case 3: return PT_REGS_PARM3(regs);
	case 4: return PT_REGS_PARM4(regs);
	case 5: return PT_REGS_PARM5(regs);
	case 6: return BPF_CORE_READ(regs, r9); /* x86-64's 6th argument register (no PARM6 in libbpf 1.1) */
	}
	return missing; /* none, or on the stack: not read */
}

/* the hooked function's return value, all 64 bits of the register (a body narrows it to the function's
 * type: an int's upper half is not part of it). fexit: ctx[nargs], or bpf_get_func_ret (5.17+) where the
 * count is not known at build time. */
static __always_inline __u64 zdev_ret(struct zdev_hook hook)
{
	struct pt_regs *regs = hook.ctx;
	__u64 value = 0;

	if (hook.via == ZDEV_VIA_KPROBE)
		return PT_REGS_RC(regs);
	if (hook.nargs != ZDEV_NARGS_UNKNOWN)
		return ((__u64 *)hook.ctx)[hook.nargs];
	bpf_get_func_ret(hook.ctx, &value);
	return value;
}

/* --- the generators ----------------------------------------------------------------------------------- */
/* one program of kind FENTRY_KIND (fentry or fexit: ctx is the trampoline's array) or KPROBE_KIND (kprobe or
 * kretprobe: ctx is pt_regs), calling BODY(hook, extra arguments...) */
#define ___ZDEV_PROG(section, name, ctx_type, via, nargs, body, ...)                                         \
	SEC(section)                                                                                           \
	int name(ctx_type ctx)                                                                                 \
	{                                                                                                      \
		return body((struct zdev_hook){ ctx, via, nargs }, ##__VA_ARGS__);                             \
	}

#define ___ZDEV_TRAMPOLINE_PROG(kind, target, stem, nargs, body, ...)                                         \
	___ZDEV_PROG("?" #kind target, kind##_##stem, unsigned long long *, ZDEV_VIA_FENTRY, nargs, body,      \
		     ##__VA_ARGS__)

#define ___ZDEV_KPROBE_PROG(kind, target, stem, body, ...)                                                    \
	___ZDEV_PROG("?" #kind target, kind##_##stem, struct pt_regs *, ZDEV_VIA_KPROBE, ZDEV_NARGS_UNKNOWN,   \
		     body, ##__VA_ARGS__)

/* the entry of FUNCTION: fentry_<stem> and kprobe_<stem> */
#define ZDEV_ENTRY(stem, function, body)                                                                       \
	___ZDEV_TRAMPOLINE_PROG(fentry, "/" #function, stem, ZDEV_NARGS_UNKNOWN, body)                         \
	___ZDEV_KPROBE_PROG(kprobe, "/" #function, stem, body)

/* the return of FUNCTION, which takes NARGS arguments: fexit_<stem> and kretprobe_<stem> */
#define ZDEV_EXIT(stem, function, nargs, body)                                                                 \
	___ZDEV_TRAMPOLINE_PROG(fexit, "/" #function, stem, nargs, body)                                       \
	___ZDEV_KPROBE_PROG(kretprobe, "/" #function, stem, body)

/* functions ftrace never sees (lib/ is notrace): kprobe_<stem> or kretprobe_<stem> alone */
#define ZDEV_KPROBE_ONLY(stem, function, body) ___ZDEV_KPROBE_PROG(kprobe, "/" #function, stem, body)
#define ZDEV_KRETPROBE_ONLY(stem, function, body) ___ZDEV_KPROBE_PROG(kretprobe, "/" #function, stem, body)

/* slot N of a driver: four programs with no function, named <kind>_<driver>_<n>, which user space points at
 * the function it resolves at run time; the bodies get the slot: ENTRY(hook, n), EXIT(hook, n) */
#define ZDEV_SLOT(driver, n, entry, exit)                                                                      \
	___ZDEV_TRAMPOLINE_PROG(fentry, "", driver##_##n, ZDEV_NARGS_UNKNOWN, entry, n)                        \
	___ZDEV_TRAMPOLINE_PROG(fexit, "", driver##_##n, ZDEV_NARGS_UNKNOWN, exit, n)                          \
	___ZDEV_KPROBE_PROG(kprobe, "", driver##_##n, entry, n)                                                \
	___ZDEV_KPROBE_PROG(kretprobe, "", driver##_##n, exit, n)

/* a slot's calls in flight: keyed by task and slot, since the slots' functions nest (amdgpu's to_vram calls
 * copy_to_vram; a CPU fault inside a migration to device memory) */
#define ZDEV_SLOT_KEY_BITS 8

static __always_inline __u64 slot_call_key(__u32 slot)
{
	return ((__u64)current_tid() << ZDEV_SLOT_KEY_BITS) | slot;
}

#endif /* ZDEV_TWINS_BPF_H */
