# Reference values for gvhdstats.methods.proportions and gvhdstats.methods.twobytwo.
#
# Run from the repository root (or pass an output directory):
#   Rscript --vanilla tests/reference/gen_twobytwo.R [outdir]
# Writes twobytwo_reference.csv (one row per 2x2 table, treatment = a/n1,
# control = c/n2), twobytwo_proportions.csv (one row per single proportion
# and method) and twobytwo_versions.txt.  DO NOT EDIT the CSV files by hand.
#
# Sources of the reference columns:
#   * R itself: fisher.test (p, conf.int, estimate), chisq.test (correct =
#     TRUE / FALSE), binom.test, prop.test (one and two samples, correct =
#     TRUE / FALSE), glm (binomial logistic regression: Wald z P value,
#     likelihood-ratio test by anova, profile-likelihood CI by refitting with
#     an offset), epitools::oddsratio (wald, small, fisher, midp) with its
#     p.value table (midp.exact, fisher.exact, chi.square), epitools::riskratio.
#   * Hand formulas written here (cited), each an independent path:
#     - tight versions of fisher.test's conditional MLE and exact CI and of
#       epitools' median-unbiased estimate and mid-p CI: same definitions
#       (Agresti 2013 sec. 3.5; Lancaster 1961), roots found with
#       uniroot(tol = 1e-13) because fisher.test and epitools stop at uniroot's
#       default tolerance (~1e-4 on the odds ratio scale);
#     - Cornfield (1956) approximate CI, with and without the continuity
#       correction (Fleiss, Levin & Paik 2003 sec. 6.3), and the
#       Miettinen-Nurminen (1985) score CI for the odds ratio, with the fitted
#       cell found by uniroot on the odds equation (not by the closed form
#       used in Python);
#     - Blaker's (2000) exact test and interval (exact2x2 tsmethod = "blaker"
#       is not installed here): the P value at psi is the probability of the
#       values whose acceptability min(P(X <= y), P(X >= y)) is at most the
#       observed one times 1 + 1e-7; the interval is the convex hull of
#       {psi : P(psi) >= alpha}, found on a grid of 4001 log odds ratios
#       reaching 1 beyond the exact-conditional bounds, the outermost
#       accepted grid points refined by bisection on "P(psi) >= alpha";
#     - Haldane-Anscombe Wald CI; likelihood-ratio G^2 (Agresti 2013 sec. 3.2);
#     - Newcombe (1998) hybrid score CI for the risk difference from
#       prop.test's Wilson limits; Agresti-Caffo (2000);
#     - single proportions: Jeffreys (qbeta), Agresti-Coull, Wald, mid-p
#       (uniroot on the binomial mid-p tails).
#   Barnard's and Boschloo's tests and the score CIs for the risk ratio and
#   difference are checked in the Python tests against scipy / statsmodels
#   (not available in base R or epitools).

suppressPackageStartupMessages(library(epitools))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

tables <- rbind(
  c(82, 99, 70, 99),   # phase 3 day-28 overall response (Zhao 2022)
  c(78, 99, 64, 99),   # phase 3 day-56 durable response
  c(65, 99, 78, 99),   # infections
  c(37, 99, 53, 99),   # haematological toxicity
  c(0, 10, 5, 10),     # zero cell in treatment
  c(5, 10, 0, 10),     # zero cell in control
  c(10, 10, 5, 10),    # all responders in treatment
  c(5, 10, 10, 10),    # all responders in control
  c(1, 20, 0, 20),
  c(3, 7, 1, 8),
  c(7, 7, 3, 8),
  c(2, 3, 1, 3),
  c(12, 15, 6, 14),
  c(20, 40, 20, 40),   # no difference
  c(25, 50, 25, 50),   # x = n/2 (prop.test continuity quirk)
  c(15, 30, 5, 30),
  c(45, 60, 30, 60),
  c(150, 300, 120, 300),
  c(400, 1000, 350, 1000),
  c(1, 100, 8, 100),
  c(99, 100, 90, 100),
  c(3, 25, 20, 25),
  c(20, 25, 10, 25),
  c(5, 5, 0, 5),       # all vs none
  c(0, 5, 5, 5),
  c(10, 12, 1, 3),
  c(4, 50, 12, 60),
  c(30, 33, 25, 40),
  c(9, 18, 3, 18),
  c(60, 80, 70, 80),
  c(1, 2, 0, 3),
  c(8, 40, 2, 10),
  c(3800, 10000, 3650, 10000)  # large
)
colnames(tables) <- c("a", "n1", "c", "n2")

z975 <- qnorm(0.975)
tight <- 1e-13

# noncentral hypergeometric distribution of the treatment events given margins
nchyper <- function(a, n1, c, n2) {
  m <- a + c
  lo <- max(0, m - n2); hi <- min(n1, m)
  x <- lo:hi
  logd <- dhyper(x, n1, n2, m, log = TRUE)
  list(x = x, logd = logd, lo = lo, hi = hi)
}
probs_at <- function(h, psi) {
  lp <- h$logd + h$x * log(psi)
  lp <- lp - max(lp)
  p <- exp(lp)
  p / sum(p)
}
# solve f(log psi) = 0 for an increasing f, on a wide bracket
root_log <- function(f) {
  r <- uniroot(f, c(-60, 60), tol = tight, maxiter = 10000)
  exp(r$root)
}

# Blaker's P value at odds ratio psi (Blaker 2000; Fay 2010)
blaker_p <- function(h, a, psi) {
  p <- probs_at(h, psi)
  acceptability <- pmin(cumsum(p), rev(cumsum(rev(p))))
  min(1, sum(p[acceptability <= acceptability[h$x == a] * (1 + 1e-7)]))
}

cond_ref <- function(a, n1, c, n2, level = 0.95) {
  h <- nchyper(a, n1, c, n2)
  al <- 1 - level
  out <- c(cmle = NA, mue = NA, exact_lo = NA, exact_hi = NA, midp_lo = NA, midp_hi = NA)
  # conditional MLE: E[X] = a
  out["cmle"] <- if (a == h$lo) 0 else if (a == h$hi) Inf else
    root_log(function(t) sum(h$x * probs_at(h, exp(t))) - a)
  # median-unbiased: P(X < a) = P(X > a)
  out["mue"] <- if (a == h$lo) 0 else if (a == h$hi) Inf else
    root_log(function(t) { p <- probs_at(h, exp(t)); sum(p[h$x > a]) - sum(p[h$x < a]) })
  out["exact_lo"] <- if (a == h$lo) 0 else
    root_log(function(t) sum(probs_at(h, exp(t))[h$x >= a]) - al / 2)
  out["exact_hi"] <- if (a == h$hi) Inf else
    root_log(function(t) al / 2 - sum(probs_at(h, exp(t))[h$x <= a]))
  midup <- function(t) { p <- probs_at(h, exp(t)); sum(p[h$x > a]) + 0.5 * p[h$x == a] }
  out["midp_lo"] <- if (a == h$lo) 0 else root_log(function(t) midup(t) - al / 2)
  out["midp_hi"] <- if (a == h$hi) Inf else root_log(function(t) midup(t) - (1 - al / 2))
  p0 <- probs_at(h, 1)
  out["p_central"] <- min(1, 2 * min(sum(p0[h$x <= a]), sum(p0[h$x >= a])))
  out["blaker_p"] <- blaker_p(h, a, 1)
  ok <- function(t) blaker_p(h, a, exp(t)) >= al
  edge <- function(inside, outside) {  # bisection between an accepted and a rejected point
    for (i in 1:200) {
      mid <- (inside + outside) / 2
      if (mid == inside || mid == outside) break
      if (ok(mid)) inside <- mid else outside <- mid
    }
    exp(inside)
  }
  if (h$lo == h$hi) {
    out["blaker_lo"] <- 0; out["blaker_hi"] <- Inf
  } else {
    g_lo <- if (a == h$lo) log(out[["exact_hi"]]) - 30 else log(out[["exact_lo"]]) - 1
    g_hi <- if (a == h$hi) log(out[["exact_lo"]]) + 30 else log(out[["exact_hi"]]) + 1
    grid <- seq(g_lo, g_hi, length.out = 4001)
    acc <- vapply(grid, ok, logical(1))
    first <- min(which(acc)); last <- max(which(acc))
    out["blaker_lo"] <- if (a == h$lo) 0 else edge(grid[first], grid[first - 1])
    out["blaker_hi"] <- if (a == h$hi) Inf else edge(grid[last], grid[last + 1])
  }
  out
}

# fitted cell a of the table with the observed margins and odds ratio psi,
# found by uniroot on the odds equation
fitted_a <- function(psi, a, n1, c, n2) {
  m <- a + c
  lo <- max(0, m - n2); hi <- min(n1, m)
  if (lo == hi) return(lo)
  f <- function(A) log(A) + log(n2 - m + A) - log(n1 - A) - log(m - A) - log(psi)
  uniroot(f, c(lo, hi), tol = 1e-14 * max(1, hi))$root
}
score_stat <- function(psi, a, n1, c, n2, kind) {
  m <- a + c; N <- n1 + n2
  A <- fitted_a(psi, a, n1, c, n2)
  info <- 1 / A + 1 / (n1 - A) + 1 / (m - A) + 1 / (n2 - m + A)
  d <- abs(a - A)
  if (kind == "cornfield-cc") d <- max(d - 0.5, 0)
  s <- d^2 * info
  if (kind == "score") s <- s * (N - 1) / N
  s
}
# With a zero cell the sample OR is 0 (a d = 0) or infinite (b c = 0): that side's
# bound is 0 or Inf and the other is the one root of the statistic on the log scale.
# With both a d = 0 and b c = 0 the OR is undefined (NA).
zero_side_ci <- function(f, a, n1, c, n2) {
  b <- n1 - a; d <- n2 - c
  if (a * d == 0 && b * c == 0) return(c(NA, NA))
  # bracket the one sign change on a grid of log OR (glm's offset fits lose accuracy
  # far out), then refine
  grid <- seq(-15, 15, by = 0.25)
  v <- vapply(grid, f, numeric(1))
  k <- if (a * d == 0) max(which(v < 0)) else min(which(v < 0))
  bracket <- if (a * d == 0) grid[c(k, k + 1)] else grid[c(k - 1, k)]
  root <- uniroot(f, bracket, tol = tight)$root
  if (a * d == 0) c(0, exp(root)) else c(exp(root), Inf)
}
score_ci <- function(a, n1, c, n2, kind, level = 0.95) {
  b <- n1 - a; d <- n2 - c
  crit <- qnorm(0.5 + level / 2)^2
  f <- function(t) score_stat(exp(t), a, n1, c, n2, kind) - crit
  if (a * b * c * d == 0) return(zero_side_ci(f, a, n1, c, n2))
  est <- log(a * d / (b * c))
  lo <- uniroot(f, c(est - 30, est), tol = tight)$root
  hi <- uniroot(f, c(est, est + 30), tol = tight)$root
  exp(c(lo, hi))
}

glm_ref <- function(a, n1, c, n2, level = 0.95) {
  out <- c(glm_wald_p = NA, glm_lr_p = NA, prof_lo = NA, prof_hi = NA)
  ev <- c(a, c); ne <- c(n1 - a, n2 - c); arm <- c(1, 0)
  if (a * (n1 - a) * c * (n2 - c) == 0) {
    # zero cell: the two-parameter model is saturated (deviance 0 in the limit);
    # the profile bound on the finite side solves deviance(offset t) = qchisq(level, 1)
    prof0 <- function(t) {
      fit0 <- suppressWarnings(glm(cbind(ev, ne) ~ 1 + offset(arm * t), family = binomial,
                                   control = glm.control(epsilon = 1e-14, maxit = 100)))
      deviance(fit0) - qchisq(level, 1)
    }
    bounds <- zero_side_ci(prof0, a, n1, c, n2)
    out["prof_lo"] <- bounds[1]; out["prof_hi"] <- bounds[2]
    return(out)
  }
  fit <- glm(cbind(ev, ne) ~ arm, family = binomial,
             control = glm.control(epsilon = 1e-14, maxit = 100))
  out["glm_wald_p"] <- summary(fit)$coefficients["arm", "Pr(>|z|)"]
  out["glm_lr_p"] <- anova(fit, test = "Chisq")[2, "Pr(>Chi)"]
  dev_full <- deviance(fit)
  est <- coef(fit)[["arm"]]
  crit <- qchisq(level, 1)
  prof <- function(t) {
    fit0 <- glm(cbind(ev, ne) ~ 1 + offset(arm * t), family = binomial,
                control = glm.control(epsilon = 1e-14, maxit = 100))
    deviance(fit0) - dev_full - crit
  }
  out["prof_lo"] <- exp(uniroot(prof, c(est - 20, est), tol = 1e-12)$root)
  out["prof_hi"] <- exp(uniroot(prof, c(est, est + 20), tol = 1e-12)$root)
  out
}

safe <- function(expr, n = 1) tryCatch(expr, error = function(e) rep(NA_real_, n))

rows <- list()
for (k in seq_len(nrow(tables))) {
  a <- tables[k, "a"]; n1 <- tables[k, "n1"]; c <- tables[k, "c"]; n2 <- tables[k, "n2"]
  b <- n1 - a; d <- n2 - c
  mat <- matrix(c(a, b, c, d), 2, byrow = TRUE)
  ft <- fisher.test(mat)
  chi_f <- suppressWarnings(chisq.test(mat, correct = FALSE)$p.value)
  chi_t <- suppressWarnings(chisq.test(mat, correct = TRUE)$p.value)
  # epitools: rows = (control, treatment), columns = (non-event, event)
  emat <- matrix(c(d, c, b, a), 2, byrow = TRUE)
  ew <- suppressWarnings(oddsratio(emat, method = "wald"))
  invisible(capture.output(es <- suppressWarnings(oddsratio(emat, method = "small"))))
  ef <- suppressWarnings(oddsratio(emat, method = "fisher"))
  em <- suppressWarnings(tryCatch(oddsratio(emat, method = "midp"), error = function(e) NULL))
  err <- suppressWarnings(riskratio(emat, method = "wald"))
  cr <- cond_ref(a, n1, c, n2)
  gl <- glm_ref(a, n1, c, n2)
  cfn <- score_ci(a, n1, c, n2, "cornfield")
  cfc <- score_ci(a, n1, c, n2, "cornfield-cc")
  mn <- score_ci(a, n1, c, n2, "score")
  # likelihood-ratio G^2 against independence (Agresti 2013, sec. 3.2)
  obs <- c(a, b, c, d); m <- a + c; N <- n1 + n2
  ex <- c(n1 * m, n1 * (N - m), n2 * m, n2 * (N - m)) / N
  g2 <- 2 * sum(ifelse(obs > 0, obs * log(obs / ex), 0))
  # Haldane-Anscombe
  hl <- log((a + .5) * (d + .5) / ((b + .5) * (c + .5)))
  hse <- sqrt(1 / (a + .5) + 1 / (b + .5) + 1 / (c + .5) + 1 / (d + .5))
  # two-sample prop.test: Wald CI for the risk difference
  pt_f <- suppressWarnings(prop.test(c(a, c), c(n1, n2), correct = FALSE))
  pt_t <- suppressWarnings(prop.test(c(a, c), c(n1, n2), correct = TRUE))
  # Newcombe hybrid score from prop.test's Wilson limits
  w1 <- suppressWarnings(prop.test(a, n1, correct = FALSE)$conf.int)
  w2 <- suppressWarnings(prop.test(c, n2, correct = FALSE)$conf.int)
  p1 <- a / n1; p2 <- c / n2
  nc_lo <- p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)
  nc_hi <- p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)
  q1 <- (a + 1) / (n1 + 2); q2 <- (c + 1) / (n2 + 2)
  ac_se <- sqrt(q1 * (1 - q1) / (n1 + 2) + q2 * (1 - q2) / (n2 + 2))
  row <- c(
    a = a, n1 = n1, c = c, n2 = n2,
    fisher_p = ft$p.value, fisher_lo = ft$conf.int[1], fisher_hi = ft$conf.int[2],
    fisher_est = unname(ft$estimate),
    chisq_p = chi_f, chisq_yates_p = chi_t,
    epi_wald_est = ew$measure[2, 1], epi_wald_lo = ew$measure[2, 2], epi_wald_hi = ew$measure[2, 3],
    epi_small_est = es$measure[2, 1], epi_small_lo = es$measure[2, 2], epi_small_hi = es$measure[2, 3],
    epi_fisher_est = ef$measure[2, 1], epi_fisher_lo = ef$measure[2, 2], epi_fisher_hi = ef$measure[2, 3],
    epi_midp_est = if (is.null(em)) NA else em$measure[2, 1],
    epi_midp_lo = if (is.null(em)) NA else em$measure[2, 2],
    epi_midp_hi = if (is.null(em)) NA else em$measure[2, 3],
    epi_p_midp = ew$p.value[2, "midp.exact"], epi_p_fisher = ew$p.value[2, "fisher.exact"],
    epi_p_chisq = ew$p.value[2, "chi.square"],
    epi_rr_est = err$measure[2, 1], epi_rr_lo = err$measure[2, 2], epi_rr_hi = err$measure[2, 3],
    cr,
    gl,
    cornfield_lo = cfn[1], cornfield_hi = cfn[2],
    cornfield_cc_lo = cfc[1], cornfield_cc_hi = cfc[2],
    mn_or_lo = mn[1], mn_or_hi = mn[2],
    lr_p = pchisq(g2, 1, lower.tail = FALSE),
    haldane_est = exp(hl), haldane_lo = exp(hl - z975 * hse), haldane_hi = exp(hl + z975 * hse),
    rd_wald_lo = pt_f$conf.int[1], rd_wald_hi = pt_f$conf.int[2],
    rd_waldcc_lo = pt_t$conf.int[1], rd_waldcc_hi = pt_t$conf.int[2],
    rd_newcombe_lo = nc_lo, rd_newcombe_hi = nc_hi,
    rd_ac_lo = max(-1, q1 - q2 - z975 * ac_se), rd_ac_hi = min(1, q1 - q2 + z975 * ac_se)
  )
  rows[[k]] <- row
}
ref <- do.call(rbind, rows)
colnames(ref) <- sub("\\..*$", "", colnames(ref))
write.csv(ref, file.path(outdir, "twobytwo_reference.csv"), row.names = FALSE)

# single proportions
midp_binom <- function(x, n, level = 0.95) {
  al <- 1 - level
  up <- function(p) pbinom(x, n, p, lower.tail = FALSE) + 0.5 * dbinom(x, n, p)
  lo <- if (x == 0) 0 else uniroot(function(p) up(p) - al / 2, c(0, 1), tol = 1e-15)$root
  hi <- if (x == n) 1 else uniroot(function(p) up(p) - (1 - al / 2), c(0, 1), tol = 1e-15)$root
  c(lo, hi)
}
props <- rbind(c(82, 99), c(70, 99), c(78, 99), c(64, 99), c(20, 25), c(198, 203), c(80, 198),
               c(0, 10), c(10, 10), c(1, 10), c(9, 10), c(25, 50), c(3, 7), c(0, 1), c(1, 1),
               c(500, 1000), c(37, 99), c(1, 1000), c(12345, 100000))
prow <- list()
for (k in seq_len(nrow(props))) {
  x <- props[k, 1]; n <- props[k, 2]
  p <- x / n
  cp <- binom.test(x, n)$conf.int
  wf <- suppressWarnings(prop.test(x, n, correct = FALSE)$conf.int)
  wt <- suppressWarnings(prop.test(x, n, correct = TRUE)$conf.int)
  jf <- c(if (x == 0) 0 else qbeta(0.025, x + .5, n - x + .5),
          if (x == n) 1 else qbeta(0.975, x + .5, n - x + .5))
  nt <- n + z975^2; pt <- (x + z975^2 / 2) / nt
  ac <- c(max(0, pt - z975 * sqrt(pt * (1 - pt) / nt)), min(1, pt + z975 * sqrt(pt * (1 - pt) / nt)))
  wd <- c(max(0, p - z975 * sqrt(p * (1 - p) / n)), min(1, p + z975 * sqrt(p * (1 - p) / n)))
  mp <- midp_binom(x, n)
  add <- function(method, ci) data.frame(events = x, total = n, method = method,
                                         low = ci[1], high = ci[2])
  prow[[length(prow) + 1]] <- rbind(
    add("clopper-pearson", cp), add("wilson", wf), add("wilson-cc", wt), add("jeffreys", jf),
    add("agresti-coull", ac), add("wald", wd), add("mid-p", mp))
}
write.csv(do.call(rbind, prow), file.path(outdir, "twobytwo_proportions.csv"), row.names = FALSE)

writeLines(c(R.version.string,
             paste("epitools", as.character(packageVersion("epitools"))),
             paste("stats", as.character(packageVersion("stats")))),
           file.path(outdir, "twobytwo_versions.txt"))
