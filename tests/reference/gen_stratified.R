# Reference values for gvhdstats.methods.stratified and the Peto odds ratio of
# gvhdstats.methods.twobytwo (tests/methods/test_stratified.py, tests/checks/test_binary.py).
# DO NOT EDIT the fixture by hand: run
#   Rscript --vanilla tests/reference/gen_stratified.R [outdir]
# from the repository root (the output directory defaults to tests/reference).
# Writes stratified_reference.json, with the R and package versions inside.
#
# Each stratum is (a, n1, c, n2): treatment a events of n1, control c of n2.
# Sources:
#   * R stats::mantelhaen.test (correct = TRUE / FALSE): MH odds ratio, its
#     Robins-Breslow-Greenland CI and the CMH statistic;
#   * metafor::rma.mh (measure OR / RR / RD, correct = TRUE / FALSE): MH
#     estimates, standard errors, Wald P, CMH test and Tarone's test;
#   * metafor::rma.peto: Peto's one-step odds ratio, CI and P (also with one
#     study, for the single-table Peto odds ratio); rma.mh with one study for
#     the risk ratio and difference Z tests (RevMan's "test for overall effect");
#   * a hand Breslow-Day statistic (Breslow & Day 1980, sec. 4.4): fitted cell
#     by uniroot on the odds equation at the MH odds ratio, sum of
#     (a - A)^2 / Var(A), Var(A) = 1 / (1/A + 1/B + 1/C + 1/D); Tarone's
#     version subtracts (sum(a - A))^2 / sum(Var(A)).
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# Berkeley admissions by department: admitted = event, male = treatment arm
ucb <- t(sapply(1:6, function(k) {
  x <- UCBAdmissions[, , k]
  c(x["Admitted", "Male"], sum(x[, "Male"]), x["Admitted", "Female"], sum(x[, "Female"]))
}))
sets <- list(
  ucb = ucb,
  trial3 = rbind(c(20, 40, 12, 38), c(15, 30, 10, 31), c(8, 25, 5, 24)),
  sparse = rbind(c(1, 10, 0, 9), c(0, 8, 2, 9), c(3, 12, 1, 11), c(2, 5, 0, 6)),
  zero_stratum = rbind(c(5, 20, 2, 20), c(0, 10, 0, 10), c(7, 15, 3, 16)),
  small_delta = rbind(c(2, 4, 2, 4), c(3, 6, 3, 6)),
  single = rbind(c(82, 99, 70, 99))
)
# single tables for the one-study Peto odds ratio
peto_single <- rbind(c(82, 99, 70, 99), c(78, 99, 64, 99), c(1, 20, 0, 20), c(0, 10, 5, 10),
                     c(3, 7, 1, 8), c(150, 300, 120, 300), c(12, 67, 16, 141))

bd_hand <- function(s, psi) {
  dev <- c(); v <- c()
  for (i in seq_len(nrow(s))) {
    a <- s[i, 1]; n1 <- s[i, 2]; cc <- s[i, 3]; n2 <- s[i, 4]; m <- a + cc
    lo <- max(0, m - n2); hi <- min(n1, m)
    if (lo == hi) next
    f <- function(A) log(A) + log(n2 - m + A) - log(n1 - A) - log(m - A) - log(psi)
    A <- uniroot(f, c(lo, hi), tol = 1e-14 * max(1, hi))$root
    dev <- c(dev, a - A)
    v <- c(v, 1 / (1 / A + 1 / (n1 - A) + 1 / (m - A) + 1 / (n2 - m + A)))
  }
  bd <- sum(dev^2 / v)
  list(breslow_day = bd, tarone = bd - sum(dev)^2 / sum(v), df = length(dev) - 1)
}

out <- list()
for (nm in names(sets)) {
  s <- sets[[nm]]
  ai <- s[, 1]; bi <- s[, 2] - s[, 1]; ci <- s[, 3]; di <- s[, 4] - s[, 3]
  rec <- list(name = nm, strata = s)
  if (nrow(s) > 1) {
    arr <- array(0, c(2, 2, nrow(s)))
    for (i in seq_len(nrow(s))) arr[, , i] <- matrix(c(ai[i], bi[i], ci[i], di[i]), 2, byrow = TRUE)
    mh_c <- mantelhaen.test(arr, correct = TRUE)
    mh_u <- mantelhaen.test(arr, correct = FALSE)
    rec$mantelhaen <- list(estimate = unname(mh_c$estimate), lower = mh_c$conf.int[1],
                           upper = mh_c$conf.int[2], stat_cc = unname(mh_c$statistic),
                           p_cc = mh_c$p.value, stat = unname(mh_u$statistic), p = mh_u$p.value)
  }
  for (ms in c("OR", "RR", "RD")) {
    f_c <- suppressWarnings(rma.mh(ai = ai, bi = bi, ci = ci, di = di, measure = ms,
                                   correct = TRUE))
    f_u <- suppressWarnings(rma.mh(ai = ai, bi = bi, ci = ci, di = di, measure = ms,
                                   correct = FALSE))
    r <- list(beta = unname(f_c$beta[1]), se = f_c$se, lower = f_c$ci.lb, upper = f_c$ci.ub,
              pval = f_c$pval)
    if (ms == "OR") {
      r$MH_cc <- f_c$MH; r$MHp_cc <- f_c$MHp; r$MH <- f_u$MH; r$MHp <- f_u$MHp
      r$TA <- f_c$TA; r$TAp <- f_c$TAp
    }
    rec[[paste0("rma_mh_", tolower(ms))]] <- r
  }
  pe <- suppressWarnings(rma.peto(ai = ai, bi = bi, ci = ci, di = di))
  rec$rma_peto <- list(beta = unname(pe$beta[1]), se = pe$se, lower = pe$ci.lb,
                       upper = pe$ci.ub, pval = pe$pval)
  if (nrow(s) > 1) {
    R <- sum(ai * di / (ai + bi + ci + di)); S <- sum(bi * ci / (ai + bi + ci + di))
    rec$breslow_day <- bd_hand(s, R / S)
  }
  out[[nm]] <- rec
}

peto <- list()
for (i in seq_len(nrow(peto_single))) {
  s <- peto_single[i, ]
  pe <- suppressWarnings(rma.peto(ai = s[1], n1i = s[2], ci = s[3], n2i = s[4]))
  pe90 <- suppressWarnings(rma.peto(ai = s[1], n1i = s[2], ci = s[3], n2i = s[4], level = 90))
  # one-study Mantel-Haenszel risk ratio and difference: Katz / Wald CI and their Z tests
  rr1 <- suppressWarnings(rma.mh(ai = s[1], n1i = s[2], ci = s[3], n2i = s[4], measure = "RR"))
  rd1 <- suppressWarnings(rma.mh(ai = s[1], n1i = s[2], ci = s[3], n2i = s[4], measure = "RD"))
  peto[[i]] <- data.frame(a = s[1], n1 = s[2], c = s[3], n2 = s[4], beta = unname(pe$beta[1]),
                          se = pe$se, lower = pe$ci.lb, upper = pe$ci.ub, pval = pe$pval,
                          lower90 = pe90$ci.lb, upper90 = pe90$ci.ub,
                          rr_beta = unname(rr1$beta[1]), rr_lower = rr1$ci.lb,
                          rr_upper = rr1$ci.ub, rr_pval = rr1$pval,
                          rd_beta = unname(rd1$beta[1]), rd_lower = rd1$ci.lb,
                          rd_upper = rd1$ci.ub, rd_pval = rd1$pval)
}

res <- list(
  versions = list(R = R.version.string,
                  metafor = as.character(packageVersion("metafor")),
                  stats = as.character(packageVersion("stats")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  sets = unname(out),
  peto_single = do.call(rbind, peto))
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(out_dir, "stratified_reference.json"))
