/**
 * Run plugin services in child JVMs. A child boots its own framework, reinstalls exactly the bundle set the
 * parent runs, and only then deserializes the call, so classes of bundles installed at run time resolve in
 * the child as they do in the parent.
 * <p>
 * Get the {@link dev.trampoline.runtime.remote.RemoteExecutor} service and submit a
 * {@link dev.trampoline.runtime.remote.RemoteFunction} of a service; the result comes back as a
 * {@link org.osgi.util.promise.Promise}. A call that cannot bring an answer fails with a
 * {@link dev.trampoline.runtime.remote.CallFailedException}.
 * <p>
 * Version 2: the call machinery's failures share {@code CallFailedException} ({@code CallTimeoutException} is
 * now unchecked, {@code CallNotSerializableException} no longer an {@code IllegalArgumentException}, a full
 * queue is a {@code CallRejectedException} instead of a {@code RejectedExecutionException}, a service missing
 * in the child a {@code NoSuchServiceException} instead of a {@code TimeoutException}, an answer or a call the
 * other side cannot read a {@code CallNotSerializableException} instead of an {@code IllegalStateException} or
 * {@code IllegalArgumentException}); {@code RemoteException} is now {@code RemoteServiceException};
 * {@code CallOptions.defaults()} is gone ({@code CallOptions.DEFAULT}). 2.1: {@code CallOptions.host} runs a call on
 * another host.
 * <p>
 * 2.2: {@code CallOptions.javaHome} ({@code withJavaHome}) runs a call's child on another JDK than the runtime's.
 * Also 2.2 (bulk calls): {@code RemoteExecutor.map} and {@code mapUnordered} apply a {@code RemoteMapper} to
 * many inputs in chunks spread over several children, with one {@code Outcome} per input ({@code BulkOptions}).
 */
@Export
@Version("2.2.0")
package dev.trampoline.runtime.remote;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
