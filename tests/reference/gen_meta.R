# Reference values for gvhdstats.methods.meta (meta-analysis), from R metafor.
#
# Run from the repository root (or pass an output directory):
#   Rscript --vanilla tests/reference/gen_meta.R [outdir]
# Writes meta_reference.json (datasets, their per-study effects and every fit
# below) and meta_versions.txt (R and package versions).  DO NOT EDIT the
# JSON by hand.
#
# Fixture sets (30): published 2x2 data sets shipped with metafor's
# companion package metadat (dat.bcg, dat.egger2001, dat.hine1989,
# dat.nielweise2007, dat.li2007, dat.lee2004, dat.anand1999 (first 30),
# dat.linde2005, dat.cannon2006 (endpoint 1), dat.dorn2007, dat.yusuf1985
# (table 6)), simulated 2x2 data sets (set.seed below; k from 2 to 30,
# zero cells, double-zero studies, homogeneous and heterogeneous) and
# generic effect sets (yi, sei; k from 2 to 30).
#
# Fits, for each 2x2 set and measure OR, RR, RD:
#   * escalc(measure, add = 1/2, to = "only0") then rma(method = m,
#     test = "z" and "knha") for m in FE, DL, REML, ML, PM, SJ, HS, HE, EB;
#   * for sets with a zero cell also to = "all", "if0all", "none" with
#     FE, DL, REML (test = "z");
#   * rma.mh(measure) (Mantel-Haenszel; OR with the Robins-Breslow-Greenland
#     variance) and, for OR, rma.peto();
#   * confint() of a REML fit: the Q-profile CI of tau^2 (and of I^2, H^2).
# For generic sets: rma(yi, sei = sei, method = m, test = ...) for every m.
#
# The iterative estimators are run to the exact root: ML, REML and EB with
# control = list(threshold = 1e-12, maxiter = 1000) (Fisher scoring; the
# default threshold 1e-5 can leave tau^2 about 1e-3 off on flat likelihoods),
# PM with control = list(tol = 1e-12, maxiter = 1000) (uniroot), confint with
# control = list(tol = 1e-12, maxiter = 1000, tau2.max = 1e6) (the default
# upper end of the search, 100, caps wide CIs).  predict() gives the
# prediction interval.

suppressPackageStartupMessages(library(metafor))
suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

CTRL <- list(threshold = 1e-12, maxiter = 1000, tol = 1e-12)
METHODS <- c("FE", "DL", "REML", "ML", "PM", "SJ", "HS", "HE", "EB")

tab <- function(id, ai, n1i, ci, n2i, note) {
  keep <- !(is.na(ai) | is.na(n1i) | is.na(ci) | is.na(n2i))  # studies without counts
  ai <- ai[keep]; n1i <- n1i[keep]; ci <- ci[keep]; n2i <- n2i[keep]
  list(id = id, kind = "tables", note = note, ai = as.integer(ai), n1i = as.integer(n1i),
       ci = as.integer(ci), n2i = as.integer(n2i))
}
gen <- function(id, yi, sei, note) {
  list(id = id, kind = "generic", note = note, yi = yi, sei = sei)
}

sets <- list()
b <- dat.bcg
sets[[length(sets) + 1]] <- tab("bcg", b$tpos, b$tpos + b$tneg, b$cpos, b$cpos + b$cneg,
                                "metadat dat.bcg: BCG vaccine trials, heterogeneous, k = 13")
e <- dat.egger2001
sets[[length(sets) + 1]] <- tab("egger2001", e$ai, e$n1i, e$ci, e$n2i,
                                "metadat dat.egger2001: magnesium in myocardial infarction, k = 16")
h <- dat.hine1989
sets[[length(sets) + 1]] <- tab("hine1989", h$ai, h$n1i, h$ci, h$n2i,
                                "metadat dat.hine1989: lidocaine, homogeneous, k = 6")
n <- dat.nielweise2007
sets[[length(sets) + 1]] <- tab("nielweise2007", n$ai, n$n1i, n$ci, n$n2i,
                                "metadat dat.nielweise2007: catheter infections, zero cells, k = 18")
l <- dat.li2007
sets[[length(sets) + 1]] <- tab("li2007", l$ai, l$n1i, l$ci, l$n2i,
                                "metadat dat.li2007: magnesium, zero cells, k = 22")
l <- dat.lee2004
sets[[length(sets) + 1]] <- tab("lee2004", l$ai, l$n1i, l$ci, l$n2i,
                                "metadat dat.lee2004: acupoint stimulation, k = 16")
a <- dat.anand1999[1:30, ]
sets[[length(sets) + 1]] <- tab("anand1999", a$ai, a$n1i, a$ci, a$n2i,
                                "metadat dat.anand1999, first 30 trials: zero cells, k = 30")
l <- dat.linde2005
sets[[length(sets) + 1]] <- tab("linde2005", l$ai, l$n1i, l$ci, l$n2i,
                                "metadat dat.linde2005: St John's wort response, k = 26")
cn <- dat.cannon2006
sets[[length(sets) + 1]] <- tab("cannon2006", cn$ep1t, cn$nt, cn$ep1c, cn$nc,
                                "metadat dat.cannon2006 endpoint 1: statin intensity, k = 4")
d <- dat.dorn2007
sets[[length(sets) + 1]] <- tab("dorn2007", d$x.a, d$n.a, d$x.p, d$n.p,
                                "metadat dat.dorn2007: placebo response, k = 19")
y <- dat.yusuf1985[dat.yusuf1985$table == "6", ]
sets[[length(sets) + 1]] <- tab("yusuf1985-6", y$ai, y$n1i, y$ci, y$n2i,
                                "metadat dat.yusuf1985 table 6: beta blockers, sparse")

set.seed(20261202)
simtab <- function(id, k, n_lo, n_hi, p0, lor_mean, lor_sd, note) {
  n1 <- sample(n_lo:n_hi, k, replace = TRUE)
  n2 <- sample(n_lo:n_hi, k, replace = TRUE)
  lor <- rnorm(k, lor_mean, lor_sd)
  p1 <- plogis(qlogis(p0) + lor)
  a <- rbinom(k, n1, p1)
  c <- rbinom(k, n2, p0)
  tab(id, a, n1, c, n2, note)
}
sets[[length(sets) + 1]] <- tab("sim-k2-homog", c(30, 45), c(60, 90), c(20, 31), c(61, 88),
                                "k = 2, homogeneous")
sets[[length(sets) + 1]] <- tab("sim-k2-zero", c(0, 12), c(15, 40), c(4, 9), c(14, 41),
                                "k = 2, one zero cell")
sets[[length(sets) + 1]] <- tab("sim-k3-double-zero", c(0, 5, 8), c(20, 30, 25), c(0, 2, 3),
                                c(21, 29, 26), "k = 3, one double-zero study")
sets[[length(sets) + 1]] <- tab("sim-k5-two-double-zero", c(0, 0, 3, 7, 1), c(10, 12, 30, 40, 9),
                                c(0, 0, 1, 2, 0), c(11, 12, 31, 38, 10),
                                "k = 5, two double-zero studies and a single zero")
sets[[length(sets) + 1]] <- tab("sim-k4-all-events", c(10, 8, 12, 5), c(10, 9, 15, 5),
                                c(7, 8, 9, 3), c(10, 10, 15, 6),
                                "k = 4, arms with every patient an event (zero non-event cells)")
sets[[length(sets) + 1]] <- simtab("sim-k8-heterog", 8, 30, 120, 0.3, 0.5, 0.8, "k = 8, heterogeneous")
sets[[length(sets) + 1]] <- simtab("sim-k10-homog", 10, 50, 200, 0.4, 0.3, 0, "k = 10, homogeneous")
sets[[length(sets) + 1]] <- simtab("sim-k15-sparse", 15, 10, 40, 0.05, 0.4, 0.3, "k = 15, sparse")
sets[[length(sets) + 1]] <- simtab("sim-k30-mixed", 30, 20, 300, 0.2, 0.2, 0.5, "k = 30, mixed sizes")
sets[[length(sets) + 1]] <- simtab("sim-k6-high", 6, 80, 150, 0.7, 1.0, 0.2, "k = 6, high event rates")

sets[[length(sets) + 1]] <- gen("gen-k2", c(0.12, 0.35), c(0.10, 0.15), "generic, k = 2")
sets[[length(sets) + 1]] <- gen("gen-k3-homog", c(0.20, 0.22, 0.18), c(0.10, 0.12, 0.09),
                                "generic, k = 3, homogeneous (tau^2 = 0)")
sets[[length(sets) + 1]] <- gen("gen-k5-hr", log(c(0.68, 0.55, 0.9, 0.75, 1.1)),
                                (log(c(0.95, 0.84, 1.3, 1.67, 1.9)) - log(c(0.48, 0.36, 0.62, 0.34, 0.64))) / (2 * qnorm(0.975)),
                                "generic, k = 5, log hazard ratios with SEs from printed CIs")
yi7 <- rnorm(7, 0.3, 0.4); sei7 <- runif(7, 0.1, 0.4)
sets[[length(sets) + 1]] <- gen("gen-k7-heterog", yi7, sei7, "generic, k = 7, heterogeneous")
sei30 <- runif(30, 0.05, 0.6); yi30 <- rnorm(30, -0.2, sqrt(0.05 + sei30^2))
sets[[length(sets) + 1]] <- gen("gen-k30", yi30, sei30, "generic, k = 30")
sei12 <- runif(12, 0.2, 0.3); yi12 <- rnorm(12, 0.1, sei12)
sets[[length(sets) + 1]] <- gen("gen-k12-flat", yi12, sei12, "generic, k = 12, flat likelihood near tau^2 = 0")

num <- function(x) { x <- as.numeric(x); x[!is.finite(x)] <- NA; x }

fit_row <- function(res, pi = TRUE) {
  out <- list(b = num(res$b), se = num(res$se), zval = num(res$zval), pval = num(res$pval),
              ci_lb = num(res$ci.lb), ci_ub = num(res$ci.ub), tau2 = num(res$tau2),
              I2 = num(res$I2), H2 = num(res$H2), QE = num(res$QE), QEp = num(res$QEp),
              k = res$k, weights = num(weights(res)))
  if (pi) {
    p <- predict(res)
    out$pi_lb <- num(if (!is.null(p$pi.lb)) p$pi.lb else p$ci.lb)
    out$pi_ub <- num(if (!is.null(p$pi.ub)) p$pi.ub else p$ci.ub)
  }
  out
}

qprofile <- function(res) {
  # confint refuses non-positive sampling variances and k < 2
  if (any(res$vi <= 0) || res$k < 2) return(list())
  ci <- confint(res, control = list(tol = 1e-12, maxiter = 1000, tau2.max = 1e6))$random
  list(tau2_lb = num(ci["tau^2", "ci.lb"]), tau2_ub = num(ci["tau^2", "ci.ub"]),
       I2_lb = num(ci["I^2(%)", "ci.lb"]), I2_ub = num(ci["I^2(%)", "ci.ub"]),
       H2_lb = num(ci["H^2", "ci.lb"]), H2_ub = num(ci["H^2", "ci.ub"]))
}

quiet <- function(expr) suppressWarnings(suppressMessages(expr))

out_sets <- list()
for (s in sets) {
  fits <- list()
  effects <- list()
  if (s$kind == "tables") {
    has_zero <- any(s$ai == 0 | s$ci == 0 | s$ai == s$n1i | s$ci == s$n2i)
    for (measure in c("OR", "RR", "RD")) {
      rules <- if (has_zero) c("only0", "all", "if0all", "none") else "only0"
      for (to in rules) {
        es <- quiet(escalc(measure, ai = s$ai, n1i = s$n1i, ci = s$ci, n2i = s$n2i,
                           add = 1/2, to = to))
        effects[[length(effects) + 1]] <- list(measure = measure, to = to,
                                               yi = num(es$yi), vi = num(es$vi))
        methods <- if (to == "only0") METHODS else c("FE", "DL", "REML")
        tests <- if (to == "only0") c("z", "knha") else "z"
        for (m in methods) for (tt in tests) {
          res <- tryCatch(quiet(rma(yi, vi, data = es, method = m, test = tt, control = CTRL)),
                          error = function(e) NULL)
          if (is.null(res)) next
          row <- c(list(model = "rma", measure = measure, method = m, test = tt, to = to),
                   fit_row(res))
          if (m == "REML" && tt == "z") row <- c(row, qprofile(res))
          fits[[length(fits) + 1]] <- row
        }
      }
      res <- quiet(rma.mh(ai = s$ai, n1i = s$n1i, ci = s$ci, n2i = s$n2i, measure = measure))
      fits[[length(fits) + 1]] <- c(list(model = "rma.mh", measure = measure, method = "MH",
                                         test = "z", to = "only0"), fit_row(res, pi = FALSE))
    }
    res <- quiet(rma.peto(ai = s$ai, n1i = s$n1i, ci = s$ci, n2i = s$n2i))
    fits[[length(fits) + 1]] <- c(list(model = "rma.peto", measure = "OR", method = "PETO",
                                       test = "z", to = "only0"), fit_row(res, pi = FALSE))
  } else {
    for (m in METHODS) for (tt in c("z", "knha")) {
      res <- quiet(rma(yi = s$yi, sei = s$sei, method = m, test = tt, control = CTRL))
      row <- c(list(model = "rma", measure = "GEN", method = m, test = tt, to = "none"),
               fit_row(res))
      if (m == "REML" && tt == "z" && length(s$yi) > 2) row <- c(row, qprofile(res))
      fits[[length(fits) + 1]] <- row
    }
  }
  s$effects <- effects
  s$fits <- fits
  out_sets[[length(out_sets) + 1]] <- s
}

doc <- list(
  generator = "tests/reference/gen_meta.R",
  datasets = out_sets
)
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, na = "null", pretty = FALSE),
           file.path(outdir, "meta_reference.json"))
writeLines(c(R.version.string,
             paste("metafor", as.character(packageVersion("metafor"))),
             paste("metadat", as.character(packageVersion("metadat"))),
             paste("jsonlite", as.character(packageVersion("jsonlite")))),
           file.path(outdir, "meta_versions.txt"))
